package org.callrec.capture.mirror.internal.packet;

/**
 * Counters of the packet decoder, as a snapshot. Every frame that is not delivered is counted in
 * exactly one of the "not delivered" reasons, so nothing disappears unexplained.
 *
 * @param frames link-layer frames offered
 * @param bytes bytes of those frames as captured
 * @param ipv4 IPv4 packets seen (fragments counted once each)
 * @param ipv6 IPv6 packets seen
 * @param vlanTagged frames that carried at least one 802.1Q/802.1ad tag
 * @param udpDelivered UDP datagrams handed to the sink
 * @param fragments IP fragments taken into reassembly
 * @param reassembled datagrams rebuilt from fragments
 * @param reassemblyTimeouts incomplete datagrams dropped when their fragments timed out
 * @param reassemblyOverflows fragments dropped because too many datagrams were in reassembly
 * @param notUdp IP packets that were not UDP (not delivered)
 * @param notIp frames that carried neither IPv4 nor IPv6 (not delivered)
 * @param truncated frames cut short by the snap length (not delivered: the payload is incomplete)
 * @param malformed frames whose headers were inconsistent (not delivered)
 * @param unsupportedLinkType frames of a link type the decoder cannot read (not delivered)
 */
public record DecodeStats(long frames, long bytes, long ipv4, long ipv6, long vlanTagged, long udpDelivered,
        long fragments, long reassembled, long reassemblyTimeouts, long reassemblyOverflows, long notUdp, long notIp,
        long truncated, long malformed, long unsupportedLinkType) {

    /** Nothing decoded yet. */
    public static final DecodeStats EMPTY = new DecodeStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    @Override
    public String toString() {
        return "frames=" + frames + " udp=" + udpDelivered + " ipv4=" + ipv4 + " ipv6=" + ipv6 + " vlan=" + vlanTagged
                + " fragments=" + fragments + " reassembled=" + reassembled + " reassemblyTimeouts="
                + reassemblyTimeouts + " reassemblyOverflows=" + reassemblyOverflows + " notUdp=" + notUdp
                + " notIp=" + notIp + " truncated=" + truncated + " malformed=" + malformed
                + " unsupportedLinkType=" + unsupportedLinkType;
    }
}
