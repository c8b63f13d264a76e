/**
 * RTP to PCM: parsing, play-out by timestamp, DTMF and the PCMU/PCMA/G.729 decoders, used by both
 * capture modes.
 */
package org.callrec.rtp;
