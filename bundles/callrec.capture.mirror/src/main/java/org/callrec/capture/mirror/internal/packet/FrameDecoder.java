package org.callrec.capture.mirror.internal.packet;

import java.util.Objects;

/**
 * Finds the UDP datagrams in captured link-layer frames, straight from the captured bytes: link
 * header (Ethernet with 802.1Q/802.1ad tags, Linux cooked, loopback, raw IP), IPv4 (RFC 791) or
 * IPv6 with its extension headers (RFC 8200), IP fragment reassembly, UDP (RFC 768). No object is
 * made per packet: the datagram handed to the sink is a reused flyweight pointing into the frame.
 * Every frame that yields no datagram is counted under one reason ({@link DecodeStats}). Not
 * thread-safe: one capture thread owns a decoder.
 */
public final class FrameDecoder {

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int ETHERTYPE_QINQ_OLD = 0x9100;
    private static final int PROTO_UDP = 17;
    private static final int IPV6_HOP_BY_HOP = 0;
    private static final int IPV6_ROUTING = 43;
    private static final int IPV6_FRAGMENT = 44;
    private static final int IPV6_DEST_OPTS = 60;

    private final UdpPacketSink sink;
    private final FragmentReassembler reassembler;
    private final UdpDatagram datagram = new UdpDatagram();

    private long frames;
    private long bytes;
    private long ipv4;
    private long ipv6;
    private long vlanTagged;
    private long udpDelivered;
    private long notUdp;
    private long notIp;
    private long truncated;
    private long malformed;
    private long unsupportedLinkType;

    // per frame: true when the capture cut the frame short (snap length), so a shortfall is "truncated"
    private boolean cut;

    /**
     * @param sink where datagrams go
     * @param reassemblyTimeoutNanos how long an incomplete fragmented datagram is kept
     * @param maxReassemblies how many fragmented datagrams may be in progress at once
     */
    public FrameDecoder(UdpPacketSink sink, long reassemblyTimeoutNanos, int maxReassemblies) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.reassembler = new FragmentReassembler(reassemblyTimeoutNanos, maxReassemblies);
    }

    /**
     * Decodes one captured frame.
     *
     * @param linkType the LINKTYPE of the capture
     * @param buf buffer holding the frame
     * @param off first byte
     * @param capturedLength bytes captured
     * @param originalLength the frame's length on the wire (more than captured if cut by snap length)
     * @param timestampNanos capture time, nanoseconds since the epoch
     */
    public void frame(int linkType, byte[] buf, int off, int capturedLength, int originalLength, long timestampNanos) {
        frames++;
        bytes += capturedLength;
        cut = originalLength > capturedLength;
        datagram.timestampNanos = timestampNanos;
        datagram.vlanId = -1;
        datagram.reassembled = false;
        int end = off + capturedLength;
        switch (linkType) {
            case LinkType.ETHERNET -> {
                if (capturedLength < 14) {
                    shortfall();
                    return;
                }
                etherType(buf, off + 12, end);
            }
            case LinkType.LINUX_SLL -> {
                if (capturedLength < 16) {
                    shortfall();
                    return;
                }
                etherType(buf, off + 14, end);
            }
            case LinkType.LINUX_SLL2 -> {
                if (capturedLength < 20) {
                    shortfall();
                    return;
                }
                ip(u16(buf, off), buf, off + 20, end);
            }
            case LinkType.NULL, LinkType.LOOP -> {
                if (capturedLength < 4) {
                    shortfall();
                    return;
                }
                // the family is in the writer's byte order for NULL: accept either order
                int be = (int) u32(buf, off);
                int family = (be & 0xFFFF) == 0 ? Integer.reverseBytes(be) : be;
                int type = family == 2 ? ETHERTYPE_IPV4
                        : family == 10 || family == 24 || family == 28 || family == 30 ? ETHERTYPE_IPV6 : 0;
                ip(type, buf, off + 4, end);
            }
            case LinkType.RAW, 12, 14, LinkType.IPV4, LinkType.IPV6 -> {
                if (capturedLength < 1) {
                    shortfall();
                    return;
                }
                int version = (buf[off] & 0xff) >>> 4;
                ip(version == 4 ? ETHERTYPE_IPV4 : version == 6 ? ETHERTYPE_IPV6 : 0, buf, off, end);
            }
            default -> unsupportedLinkType++;
        }
    }

    /**
     * Drops fragmented datagrams that have waited too long and lets the sink's time pass; the
     * capture loop calls this when idle so that timeouts and play-out advance without traffic.
     *
     * @param nowNanos the current time on the capture clock
     */
    public void expire(long nowNanos) {
        reassembler.expire(nowNanos);
        sink.tick(nowNanos);
    }

    /** @return the counters so far */
    public DecodeStats stats() {
        return new DecodeStats(frames, bytes, ipv4, ipv6, vlanTagged, udpDelivered, reassembler.fragments,
                reassembler.reassembled, reassembler.timeouts, reassembler.overflows, notUdp, notIp, truncated,
                malformed + reassembler.invalid, unsupportedLinkType);
    }

    /** The Ethernet type field at {@code typePos}, after any VLAN tags, then the IP packet. */
    private void etherType(byte[] buf, int typePos, int end) {
        int type = u16(buf, typePos);
        boolean tagged = false;
        while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD) {
            if (typePos + 6 > end) {
                shortfall();
                return;
            }
            tagged = true;
            datagram.vlanId = u16(buf, typePos + 2) & 0x0FFF; // innermost tag wins
            typePos += 4;
            type = u16(buf, typePos);
        }
        if (tagged) {
            vlanTagged++;
        }
        ip(type, buf, typePos + 2, end);
    }

    private void ip(int etherType, byte[] buf, int p, int end) {
        if (etherType == ETHERTYPE_IPV4) {
            ipv4(buf, p, end);
        } else if (etherType == ETHERTYPE_IPV6) {
            ipv6(buf, p, end);
        } else {
            notIp++;
        }
    }

    private void ipv4(byte[] buf, int p, int end) {
        ipv4++;
        if (end - p < 20) {
            shortfall();
            return;
        }
        int vihl = buf[p] & 0xff;
        int headerLength = (vihl & 0x0F) * 4;
        int totalLength = u16(buf, p + 2);
        if (vihl >>> 4 != 4 || headerLength < 20 || totalLength < headerLength) {
            malformed++;
            return;
        }
        if (p + totalLength > end) {
            shortfall();
            return;
        }
        int protocol = buf[p + 9] & 0xff;
        UdpDatagram d = datagram;
        d.ipVersion = 4;
        System.arraycopy(buf, p + 12, d.src, 0, 4);
        System.arraycopy(buf, p + 16, d.dst, 0, 4);
        int flagsOffset = u16(buf, p + 6);
        boolean more = (flagsOffset & 0x2000) != 0;
        int fragmentOffset = (flagsOffset & 0x1FFF) * 8;
        int data = p + headerLength;
        int dataLength = totalLength - headerLength;
        if (more || fragmentOffset != 0) {
            if (reassembler.offer(4, d.src, d.dst, protocol, u16(buf, p + 4), fragmentOffset, more, buf, data,
                    dataLength, d.timestampNanos)) {
                d.reassembled = true;
                transport(protocol, reassembler.data(), 0, reassembler.length());
            }
            return;
        }
        transport(protocol, buf, data, p + totalLength);
    }

    private void ipv6(byte[] buf, int p, int end) {
        ipv6++;
        if (end - p < 40) {
            shortfall();
            return;
        }
        int payloadLength = u16(buf, p + 4);
        if ((buf[p] & 0xff) >>> 4 != 6 || payloadLength == 0) {
            malformed++; // payload length 0 means a jumbogram, which a mirror port never carries
            return;
        }
        if (p + 40 + payloadLength > end) {
            shortfall();
            return;
        }
        UdpDatagram d = datagram;
        d.ipVersion = 6;
        System.arraycopy(buf, p + 8, d.src, 0, 16);
        System.arraycopy(buf, p + 24, d.dst, 0, 16);
        ipv6Headers(buf[p + 6] & 0xff, buf, p + 40, p + 40 + payloadLength, true);
    }

    /** Walks the IPv6 extension header chain to the upper-layer header. */
    private void ipv6Headers(int next, byte[] buf, int q, int end, boolean fragmentable) {
        while (true) {
            switch (next) {
                case IPV6_HOP_BY_HOP, IPV6_ROUTING, IPV6_DEST_OPTS -> {
                    if (end - q < 8) {
                        malformed++;
                        return;
                    }
                    int length = ((buf[q + 1] & 0xff) + 1) * 8;
                    if (q + length > end) {
                        malformed++;
                        return;
                    }
                    next = buf[q] & 0xff;
                    q += length;
                }
                case IPV6_FRAGMENT -> {
                    if (end - q < 8 || !fragmentable) {
                        malformed++;
                        return;
                    }
                    int inner = buf[q] & 0xff;
                    int offsetFlags = u16(buf, q + 2);
                    int fragmentOffset = offsetFlags & 0xFFF8;
                    boolean more = (offsetFlags & 1) != 0;
                    long id = u32(buf, q + 4);
                    q += 8;
                    if (fragmentOffset == 0 && !more) {
                        next = inner; // atomic fragment (RFC 6946): a whole packet
                        continue;
                    }
                    UdpDatagram d = datagram;
                    if (reassembler.offer(6, d.src, d.dst, inner, id, fragmentOffset, more, buf, q, end - q,
                            d.timestampNanos)) {
                        d.reassembled = true;
                        ipv6Headers(inner, reassembler.data(), 0, reassembler.length(), false);
                    }
                    return;
                }
                default -> {
                    transport(next, buf, q, end);
                    return;
                }
            }
        }
    }

    private void transport(int protocol, byte[] buf, int q, int end) {
        if (protocol != PROTO_UDP) {
            notUdp++;
            return;
        }
        if (end - q < 8) {
            malformed++;
            return;
        }
        int udpLength = u16(buf, q + 4);
        // the IP length bounds the datagram; a UDP length that disagrees means a damaged header
        if (udpLength < 8 || q + udpLength > end) {
            malformed++;
            return;
        }
        UdpDatagram d = datagram;
        d.srcPort = u16(buf, q);
        d.dstPort = u16(buf, q + 2);
        d.buffer = buf;
        d.offset = q + 8;
        d.length = udpLength - 8;
        udpDelivered++;
        sink.udp(d);
    }

    private void shortfall() {
        if (cut) {
            truncated++;
        } else {
            malformed++;
        }
    }

    private static int u16(byte[] b, int o) {
        return (b[o] & 0xff) << 8 | (b[o + 1] & 0xff);
    }

    private static long u32(byte[] b, int o) {
        return (b[o] & 0xffL) << 24 | (b[o + 1] & 0xffL) << 16 | (b[o + 2] & 0xffL) << 8 | (b[o + 3] & 0xffL);
    }
}
