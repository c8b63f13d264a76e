package org.callrec.capture.mirror.internal.packet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * One UDP datagram as the decoder found it, handed to a {@link UdpPacketSink}. A flyweight: the
 * decoder reuses this object and the payload buffer for every packet, so a sink copies what it
 * keeps beyond its call. This keeps the per-packet path free of allocations.
 */
public final class UdpDatagram {

    final byte[] src = new byte[16];
    final byte[] dst = new byte[16];
    int ipVersion;
    int srcPort;
    int dstPort;
    int vlanId = -1;
    byte[] buffer;
    int offset;
    int length;
    long timestampNanos;
    boolean reassembled;

    /** @return 4 or 6 */
    public int ipVersion() {
        return ipVersion;
    }

    /** @return address length in bytes: 4 or 16 */
    public int addressLength() {
        return ipVersion == 4 ? 4 : 16;
    }

    /** @return source port */
    public int srcPort() {
        return srcPort;
    }

    /** @return destination port */
    public int dstPort() {
        return dstPort;
    }

    /** @return the innermost 802.1Q VLAN id, or -1 when the frame was untagged */
    public int vlanId() {
        return vlanId;
    }

    /** @return the buffer holding the payload; valid only during the sink call */
    public byte[] buffer() {
        return buffer;
    }

    /** @return first payload byte in {@link #buffer()} */
    public int offset() {
        return offset;
    }

    /** @return payload length */
    public int length() {
        return length;
    }

    /** @return capture time, nanoseconds since the epoch */
    public long timestampNanos() {
        return timestampNanos;
    }

    /** @return true if the datagram was rebuilt from IP fragments */
    public boolean reassembled() {
        return reassembled;
    }

    /** @return the IPv4 source address as an int (big-endian); only for {@link #ipVersion()} 4 */
    public int srcIpv4() {
        return (src[0] & 0xff) << 24 | (src[1] & 0xff) << 16 | (src[2] & 0xff) << 8 | (src[3] & 0xff);
    }

    /** @return the IPv4 destination address as an int (big-endian); only for {@link #ipVersion()} 4 */
    public int dstIpv4() {
        return (dst[0] & 0xff) << 24 | (dst[1] & 0xff) << 16 | (dst[2] & 0xff) << 8 | (dst[3] & 0xff);
    }

    /**
     * @param address 4 or 16 address bytes
     * @return true if the source address is {@code address}
     */
    public boolean srcIs(byte[] address) {
        return address.length == addressLength() && Arrays.equals(src, 0, address.length, address, 0, address.length);
    }

    /**
     * @param address 4 or 16 address bytes
     * @return true if the destination address is {@code address}
     */
    public boolean dstIs(byte[] address) {
        return address.length == addressLength() && Arrays.equals(dst, 0, address.length, address, 0, address.length);
    }

    /** @return the source address bytes (first {@link #addressLength()} valid); do not modify */
    public byte[] srcAddressBytes() {
        return src;
    }

    /** @return the destination address bytes (first {@link #addressLength()} valid); do not modify */
    public byte[] dstAddressBytes() {
        return dst;
    }

    /**
     * Makes this datagram a deep copy of another, reusing this one's payload buffer when it is
     * large enough (for look-back buffers).
     *
     * @param o the datagram to copy
     */
    public void copyFrom(UdpDatagram o) {
        System.arraycopy(o.src, 0, src, 0, 16);
        System.arraycopy(o.dst, 0, dst, 0, 16);
        ipVersion = o.ipVersion;
        srcPort = o.srcPort;
        dstPort = o.dstPort;
        vlanId = o.vlanId;
        timestampNanos = o.timestampNanos;
        reassembled = o.reassembled;
        if (buffer == null || buffer == o.buffer || buffer.length < o.length) {
            buffer = new byte[Math.max(o.length, 256)];
        }
        System.arraycopy(o.buffer, o.offset, buffer, 0, o.length);
        offset = 0;
        length = o.length;
    }

    /** @return a copy of the source address (allocates: not for the per-packet path) */
    public InetAddress srcAddress() {
        return address(src);
    }

    /** @return a copy of the destination address (allocates: not for the per-packet path) */
    public InetAddress dstAddress() {
        return address(dst);
    }

    /** @return a copy of the payload (allocates) */
    public byte[] payload() {
        return Arrays.copyOfRange(buffer, offset, offset + length);
    }

    private InetAddress address(byte[] a) {
        try {
            return InetAddress.getByAddress(Arrays.copyOf(a, addressLength()));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen for 4 or 16 bytes
        }
    }

    @Override
    public String toString() {
        return srcAddress().getHostAddress() + ":" + srcPort + " -> " + dstAddress().getHostAddress() + ":" + dstPort
                + " " + length + " bytes";
    }
}
