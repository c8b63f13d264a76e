package org.callrec.capture.mirror.internal.packet;

/** The link-layer header types (tcpdump.org LINKTYPE values) the decoder understands. */
public final class LinkType {
    /** BSD loopback: 4-byte address family in host byte order. */
    public static final int NULL = 0;
    /** Ethernet, optionally with 802.1Q / 802.1ad tags. */
    public static final int ETHERNET = 1;
    /** Raw IP (the LINKTYPE value; some systems write DLT 12 or 14 in files). */
    public static final int RAW = 101;
    /** OpenBSD loopback: 4-byte address family in network byte order. */
    public static final int LOOP = 108;
    /** Linux "cooked" capture v1 (the "any" device). */
    public static final int LINUX_SLL = 113;
    /** Linux "cooked" capture v2. */
    public static final int LINUX_SLL2 = 276;
    /** Raw IPv4 only. */
    public static final int IPV4 = 228;
    /** Raw IPv6 only. */
    public static final int IPV6 = 229;

    private LinkType() {
    }

    /**
     * @param linkType a LINKTYPE value
     * @return true if the decoder can read frames of this type
     */
    public static boolean supported(int linkType) {
        return switch (linkType) {
            case NULL, ETHERNET, RAW, 12, 14, LOOP, LINUX_SLL, LINUX_SLL2, IPV4, IPV6 -> true;
            default -> false;
        };
    }
}
