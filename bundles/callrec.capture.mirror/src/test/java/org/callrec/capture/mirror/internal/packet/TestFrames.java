package org.callrec.capture.mirror.internal.packet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Builds test traffic from the header layouts of RFC 791, 8200, 768 and IEEE 802.1Q, and writes it
 * as pcap or pcapng files. Test data is made here at test time, never committed.
 */
public final class TestFrames {

    /** One UDP datagram as sent: what the decoder must deliver. */
    public record Datagram(String src, int srcPort, String dst, int dstPort, String payloadHex) implements Comparable<Datagram> {
        @Override
        public int compareTo(Datagram o) {
            return toString().compareTo(o.toString());
        }

        /**
         * @param d a delivered datagram
         * @return it as a comparable value
         */
        public static Datagram of(UdpDatagram d) {
            return new Datagram(d.srcAddress().getHostAddress(), d.srcPort(), d.dstAddress().getHostAddress(),
                    d.dstPort(), HexFormat.of().formatHex(d.buffer(), d.offset(), d.offset() + d.length()));
        }
    }

    private static final byte[] DST_MAC = {0x02, 0, 0, 0, 0, 0x02};
    private static final byte[] SRC_MAC = {0x02, 0, 0, 0, 0, 0x01};

    private TestFrames() {
    }

    /** @return an address's bytes */
    public static byte[] ip(String address) {
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    /** @return {@code n} random bytes */
    public static byte[] randomPayload(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** The UDP header and payload, checksum over the pseudo-header (RFC 768 / RFC 8200 8.1). */
    public static byte[] udp(byte[] src, byte[] dst, int srcPort, int dstPort, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + payload.length)).putShort((short) 0);
        b.put(payload);
        byte[] u = b.array();
        ByteArrayOutputStream pseudo = new ByteArrayOutputStream();
        pseudo.writeBytes(src);
        pseudo.writeBytes(dst);
        if (src.length == 4) {
            pseudo.write(0);
            pseudo.write(17);
            pseudo.write(u.length >>> 8);
            pseudo.write(u.length);
        } else {
            pseudo.writeBytes(new byte[] {(byte) (u.length >>> 24), (byte) (u.length >>> 16), (byte) (u.length >>> 8),
                    (byte) u.length, 0, 0, 0, 17});
        }
        pseudo.writeBytes(u);
        int sum = checksum(pseudo.toByteArray());
        if (sum == 0) {
            sum = 0xFFFF;
        }
        u[6] = (byte) (sum >>> 8);
        u[7] = (byte) sum;
        return u;
    }

    /** An IPv4 packet (or fragment) around {@code data}. */
    public static byte[] ipv4(byte[] src, byte[] dst, int protocol, int id, int fragmentOffset, boolean more, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(20 + data.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + data.length)).putShort((short) id);
        b.putShort((short) ((more ? 0x2000 : 0) | (fragmentOffset / 8)));
        b.put((byte) 64).put((byte) protocol).putShort((short) 0).put(src).put(dst);
        byte[] p = b.array();
        int sum = checksum(java.util.Arrays.copyOf(p, 20));
        p[10] = (byte) (sum >>> 8);
        p[11] = (byte) sum;
        System.arraycopy(data, 0, p, 20, data.length);
        return p;
    }

    /** An IPv6 packet whose payload is {@code data} with next header {@code next}. */
    public static byte[] ipv6(byte[] src, byte[] dst, int next, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(40 + data.length);
        b.putInt(0x60000000).putShort((short) data.length).put((byte) next).put((byte) 64).put(src).put(dst).put(data);
        return b.array();
    }

    /** IPv6 fragments (RFC 8200 4.5) of an upper-layer packet, {@code size} data bytes per fragment. */
    public static List<byte[]> ipv6Fragments(byte[] src, byte[] dst, int next, long id, byte[] upper, int size) {
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < upper.length; off += size) {
            int n = Math.min(size, upper.length - off);
            boolean more = off + n < upper.length;
            ByteBuffer fh = ByteBuffer.allocate(8 + n);
            fh.put((byte) next).put((byte) 0).putShort((short) (off | (more ? 1 : 0))).putInt((int) id);
            fh.put(upper, off, n);
            out.add(ipv6(src, dst, 44, fh.array()));
        }
        return out;
    }

    /** IPv4 fragments of an upper-layer packet, {@code size} (a multiple of 8) data bytes each. */
    public static List<byte[]> ipv4Fragments(byte[] src, byte[] dst, int protocol, int id, byte[] upper, int size) {
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < upper.length; off += size) {
            int n = Math.min(size, upper.length - off);
            out.add(ipv4(src, dst, protocol, id, off, off + n < upper.length,
                    java.util.Arrays.copyOfRange(upper, off, off + n)));
        }
        return out;
    }

    /** An Ethernet frame around an IP packet, with 802.1Q tags for each VLAN id given (outermost first). */
    public static byte[] ethernet(byte[] ipPacket, int... vlans) {
        ByteBuffer b = ByteBuffer.allocate(14 + 4 * vlans.length + ipPacket.length);
        b.put(DST_MAC).put(SRC_MAC);
        for (int vlan : vlans) {
            b.putShort((short) 0x8100).putShort((short) vlan);
        }
        b.putShort((short) ((ipPacket[0] >>> 4 & 0xF) == 6 ? 0x86DD : 0x0800)).put(ipPacket);
        return b.array();
    }

    /** Frames and the datagrams they carry. */
    public record Traffic(List<byte[]> frames, List<Datagram> datagrams) {
    }

    /**
     * RTP-like traffic between phones and a gateway: IPv4 and IPv6 alternating, payloads of 1 to
     * {@code maxPayload} bytes, ports from 40000 up, each frame Ethernet (untagged unless vlans given).
     */
    public static Traffic mixed(long seed, int count, int maxPayload, int... vlans) throws UnknownHostException {
        Random random = new Random(seed);
        List<byte[]> frames = new ArrayList<>();
        List<Datagram> datagrams = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean v6 = i % 2 == 1;
            String src = v6 ? "2001:db8::" + (10 + i % 7) : "10.20.0." + (10 + i % 7);
            String dst = v6 ? "2001:db8::1:1" : "10.20.1.1";
            int srcPort = 40000 + 2 * (i % 11);
            int dstPort = 50000 + 2 * (i % 5);
            byte[] payload = randomPayload(random, 1 + random.nextInt(maxPayload));
            byte[] s = ip(src);
            byte[] d = ip(dst);
            byte[] udp = udp(s, d, srcPort, dstPort, payload);
            byte[] packet = v6 ? ipv6(s, d, 17, udp) : ipv4(s, d, 17, i & 0xFFFF, 0, false, udp);
            frames.add(ethernet(packet, vlans));
            datagrams.add(new Datagram(InetAddress.getByAddress(s).getHostAddress(), srcPort,
                    InetAddress.getByAddress(d).getHostAddress(), dstPort, HexFormat.of().formatHex(payload)));
        }
        return new Traffic(frames, datagrams);
    }

    /** Writes a classic pcap file (microseconds unless {@code nanos}), little-endian unless {@code bigEndian}. */
    public static void writePcap(Path file, int linkType, List<byte[]> frames, boolean nanos, boolean bigEndian)
            throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24 + frames.stream().mapToInt(f -> 16 + f.length).sum());
        b.order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        b.putInt(nanos ? 0xA1B23C4D : 0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(262144).putInt(linkType);
        long seconds = 1_700_000_000L;
        int i = 0;
        for (byte[] f : frames) {
            b.putInt((int) seconds).putInt(nanos ? i * 1000 : i).putInt(f.length).putInt(f.length).put(f);
            i++;
        }
        Files.write(file, b.array());
    }

    /**
     * Writes a pcapng file: one section, two interfaces (microsecond and nanosecond resolution), the
     * frames alternating between them as enhanced packet blocks, plus a statistics block to skip.
     */
    public static void writePcapng(Path file, int linkType, List<byte[]> frames, boolean bigEndian) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ByteBuffer shb = ByteBuffer.allocate(28).order(order);
        shb.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1).putInt(28);
        out.writeBytes(shb.array());
        for (int resolution : new int[] {6, 9}) {
            ByteBuffer idb = ByteBuffer.allocate(32).order(order);
            idb.putInt(1).putInt(32).putShort((short) linkType).putShort((short) 0).putInt(262144);
            idb.putShort((short) 9).putShort((short) 1).put((byte) resolution).put(new byte[3]); // if_tsresol
            idb.putShort((short) 0).putShort((short) 0).putInt(32);
            out.writeBytes(idb.array());
        }
        int i = 0;
        for (byte[] f : frames) {
            int padded = (f.length + 3) & ~3;
            int length = 32 + padded;
            ByteBuffer epb = ByteBuffer.allocate(length).order(order);
            int iface = i % 2;
            long units = iface == 0 ? 1_700_000_000_000_000L + i : 1_700_000_000_000_000_000L + i * 1000L;
            epb.putInt(6).putInt(length).putInt(iface).putInt((int) (units >>> 32)).putInt((int) units)
                    .putInt(f.length).putInt(f.length).put(f);
            epb.position(length - 4);
            epb.putInt(length);
            out.writeBytes(epb.array());
            if (i == 0) { // an interface statistics block, which a reader skips
                ByteBuffer isb = ByteBuffer.allocate(24).order(order);
                isb.putInt(5).putInt(24).putInt(0).putInt(0).putInt(0).putInt(24);
                out.writeBytes(isb.array());
            }
            i++;
        }
        Files.write(file, out.toByteArray());
    }

    /** Reads every frame of a capture file through the decoder: what offline import delivers. */
    public static List<Datagram> decodeFile(Path file) throws Exception {
        List<Datagram> got = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(d -> got.add(Datagram.of(d)), 5_000_000_000L, 1024);
        CaptureFileReader.read(file, decoder::frame);
        return got;
    }

    /** What tshark, an independent reader, finds as UDP payloads in a capture file (IP reassembly on). */
    public static List<Datagram> tsharkDatagrams(Path file) throws IOException, InterruptedException {
        String text = null;
        String failure = null;
        // tshark has been seen to exit 130 once in a while under load; one retry, reporting the first failure
        for (int attempt = 0; attempt < 2 && text == null; attempt++) {
            Path err = Files.createTempFile("tshark", ".err");
            Process p = new ProcessBuilder("tshark", "-n", "-r", file.toString(), "-o", "ip.defragment:TRUE",
                    "-o", "ipv6.defragment:TRUE", "-Y", "udp", "-T", "fields", "-E", "separator=|",
                    "-e", "ip.src", "-e", "ipv6.src", "-e", "udp.srcport", "-e", "ip.dst", "-e", "ipv6.dst",
                    "-e", "udp.dstport", "-e", "udp.payload")
                    .redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() == 0) {
                text = out;
            } else {
                failure = "tshark failed on " + file + " (exit " + p.exitValue() + "): " + Files.readString(err);
                System.err.println(failure);
            }
            Files.deleteIfExists(err);
        }
        if (text == null) {
            throw new IOException(failure);
        }
        List<Datagram> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\\|", -1);
            String src = f[0].isEmpty() ? f[1] : f[0];
            String dst = f[3].isEmpty() ? f[4] : f[3];
            // tshark lists the inner header's value last when a field repeats
            src = src.substring(src.lastIndexOf(',') + 1);
            dst = dst.substring(dst.lastIndexOf(',') + 1);
            out.add(new Datagram(InetAddress.getByName(src).getHostAddress(), Integer.parseInt(f[2]),
                    InetAddress.getByName(dst).getHostAddress(), Integer.parseInt(f[5]), f[6].replace(":", "")));
        }
        return out;
    }

    private static int checksum(byte[] data) {
        long sum = 0;
        for (int i = 0; i + 1 < data.length; i += 2) {
            sum += (data[i] & 0xff) << 8 | (data[i + 1] & 0xff);
        }
        if ((data.length & 1) != 0) {
            sum += (data[data.length - 1] & 0xff) << 8;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
