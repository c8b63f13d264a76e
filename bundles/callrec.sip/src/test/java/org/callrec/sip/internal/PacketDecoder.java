package org.callrec.sip.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;

import org.callrec.api.sip.SipPacketSink;

/**
 * Link layer (Ethernet with VLAN tags, Linux cooked v1/v2, BSD loopback, raw IP) to IPv4/IPv6 to
 * UDP/TCP payload, as in the respective RFCs and LINKTYPE definitions. Fragments and IPv6
 * extension headers are not reassembled: such packets are reported as skipped.
 */
final class PacketDecoder {

    /** A transport payload with its endpoints. */
    record Segment(SipPacketSink.Transport transport, InetSocketAddress source, InetSocketAddress destination,
            Instant time, byte[] payload) {
    }

    private PacketDecoder() {
    }

    /** @return the segment, or null for anything that is not whole IPv4/IPv6 UDP or TCP */
    static Segment decode(PcapFile.Frame f) {
        byte[] d = f.data();
        ByteBuffer b = ByteBuffer.wrap(d);
        int ip;
        int proto;
        switch (f.linkType()) {
            case 1 -> { // Ethernet
                if (d.length < 14) {
                    return null;
                }
                int off = 12;
                proto = b.getShort(off) & 0xFFFF;
                while ((proto == 0x8100 || proto == 0x88A8) && off + 6 <= d.length) {
                    off += 4;
                    proto = b.getShort(off) & 0xFFFF;
                }
                ip = off + 2;
            }
            case 113 -> { // Linux cooked capture v1
                if (d.length < 16) {
                    return null;
                }
                proto = b.getShort(14) & 0xFFFF;
                ip = 16;
            }
            case 276 -> { // Linux cooked capture v2
                if (d.length < 20) {
                    return null;
                }
                proto = b.getShort(0) & 0xFFFF;
                ip = 20;
            }
            case 0 -> { // BSD loopback: address family in host byte order
                if (d.length < 4) {
                    return null;
                }
                int fam = Math.max(d[0] & 0xFF, d[3] & 0xFF);
                proto = fam == 2 ? 0x0800 : (fam == 24 || fam == 28 || fam == 30) ? 0x86DD : -1;
                ip = 4;
            }
            case 101, 228, 229 -> { // raw IP
                if (d.length < 1) {
                    return null;
                }
                proto = (d[0] >> 4) == 4 ? 0x0800 : (d[0] >> 4) == 6 ? 0x86DD : -1;
                ip = 0;
            }
            default -> {
                return null;
            }
        }
        try {
            if (proto == 0x0800) {
                return ipv4(b, ip, f.time());
            }
            if (proto == 0x86DD) {
                return ipv6(b, ip, f.time());
            }
        } catch (IndexOutOfBoundsException | UnknownHostException e) {
            return null; // truncated capture (snaplen) or a bad header
        }
        return null;
    }

    private static Segment ipv4(ByteBuffer b, int ip, Instant t) throws UnknownHostException {
        int ihl = (b.get(ip) & 0x0F) * 4;
        int total = b.getShort(ip + 2) & 0xFFFF;
        int flagsFrag = b.getShort(ip + 6) & 0xFFFF;
        if ((flagsFrag & 0x2000) != 0 || (flagsFrag & 0x1FFF) != 0) {
            return null; // fragment
        }
        int protocol = b.get(ip + 9) & 0xFF;
        InetAddress src = InetAddress.getByAddress(slice(b, ip + 12, 4));
        InetAddress dst = InetAddress.getByAddress(slice(b, ip + 16, 4));
        int end = Math.min(b.limit(), ip + total);
        return transport(b, protocol, ip + ihl, end, src, dst, t);
    }

    private static Segment ipv6(ByteBuffer b, int ip, Instant t) throws UnknownHostException {
        int payloadLength = b.getShort(ip + 4) & 0xFFFF;
        int next = b.get(ip + 6) & 0xFF;
        InetAddress src = InetAddress.getByAddress(slice(b, ip + 8, 16));
        InetAddress dst = InetAddress.getByAddress(slice(b, ip + 24, 16));
        int end = Math.min(b.limit(), ip + 40 + payloadLength);
        return transport(b, next, ip + 40, end, src, dst, t);
    }

    private static Segment transport(ByteBuffer b, int protocol, int off, int end, InetAddress src, InetAddress dst,
            Instant t) {
        if (protocol == 17) {
            int sp = b.getShort(off) & 0xFFFF;
            int dp = b.getShort(off + 2) & 0xFFFF;
            int len = b.getShort(off + 4) & 0xFFFF;
            int payloadEnd = Math.min(end, off + len);
            return new Segment(SipPacketSink.Transport.UDP, new InetSocketAddress(src, sp), new InetSocketAddress(dst, dp),
                    t, Arrays.copyOfRange(b.array(), off + 8, payloadEnd));
        }
        if (protocol == 6) {
            int sp = b.getShort(off) & 0xFFFF;
            int dp = b.getShort(off + 2) & 0xFFFF;
            int dataOffset = ((b.get(off + 12) & 0xF0) >> 4) * 4;
            if (off + dataOffset > end) {
                return null;
            }
            return new Segment(SipPacketSink.Transport.TCP, new InetSocketAddress(src, sp), new InetSocketAddress(dst, dp),
                    t, Arrays.copyOfRange(b.array(), off + dataOffset, end));
        }
        return null;
    }

    private static byte[] slice(ByteBuffer b, int off, int len) {
        byte[] a = new byte[len];
        b.get(off, a);
        return a;
    }
}
