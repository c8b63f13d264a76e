/**
 * SIP call-control sources: passive SIP (signalling seen in mirrored traffic or a pcap) turned into
 * call events with media hints.
 */
package org.callrec.sip;
