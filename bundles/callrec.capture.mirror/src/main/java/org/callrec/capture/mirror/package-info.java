/**
 * The "ShoreTel TAPI" audio path: RTP sniffed off the capture NIC that a switch mirror port feeds,
 * matched to users by their phone's IP, written as stereo.
 */
package org.callrec.capture.mirror;
