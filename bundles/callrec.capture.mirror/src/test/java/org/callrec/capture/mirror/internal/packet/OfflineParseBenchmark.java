package org.callrec.capture.mirror.internal.packet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Benchmark (not a test): offline parse throughput of the packet layer, one thread. Writes a
 * synthetic pcap of G.711-sized RTP datagrams (IPv4 and IPv6, a quarter of them VLAN-tagged), then
 * reads it repeatedly through {@link CaptureFileReader} and {@link FrameDecoder} into a sink that
 * only sums payload bytes. Run by bundles/callrec.capture.mirror/bench/capture-bench.
 * Arguments: [packets (default 2000000)] [rounds (default 5)] [work dir (default a temp dir)].
 */
public final class OfflineParseBenchmark {

    private OfflineParseBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int packets = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("crm-bench");
        Path file = dir.resolve("rtp-" + packets + ".pcap");
        write(file, packets);
        System.out.printf("file %s: %d packets, %.1f MB%n", file, packets, Files.size(file) / 1e6);
        long[] sum = new long[1];
        double best = 0;
        for (int r = 0; r < rounds; r++) {
            FrameDecoder decoder = new FrameDecoder(d -> sum[0] += d.length(), 5_000_000_000L, 4096);
            long t0 = System.nanoTime();
            CaptureFileSummary s = CaptureFileReader.read(file, decoder::frame);
            long t1 = System.nanoTime();
            double pps = s.frames() / ((t1 - t0) / 1e9);
            best = Math.max(best, pps);
            System.out.printf("round %d: %d frames, %d UDP delivered, %.0f packets/s (%.1f MB/s)%n", r + 1, s.frames(),
                    decoder.stats().udpDelivered(), pps, s.bytes() / ((t1 - t0) / 1e3));
        }
        System.out.printf("RESULT offline parse: %.0f packets/s on one core (best of %d rounds; checksum %d)%n", best,
                rounds, sum[0]);
        Files.deleteIfExists(file);
        if (args.length <= 2) {
            Files.deleteIfExists(dir);
        }
    }

    private static void write(Path file, int packets) throws Exception {
        Random random = new Random(1);
        List<byte[]> templates = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            boolean v6 = i % 2 == 1;
            byte[] s = TestFrames.ip(v6 ? "2001:db8::" + (i + 10) : "10.1.0." + (i + 10));
            byte[] d = TestFrames.ip(v6 ? "2001:db8::1" : "10.1.1.1");
            byte[] udp = TestFrames.udp(s, d, 20000 + 2 * i, 30000 + 2 * i, TestFrames.randomPayload(random, 172));
            byte[] ip = v6 ? TestFrames.ipv6(s, d, 17, udp) : TestFrames.ipv4(s, d, 17, i, 0, false, udp);
            templates.add(i % 4 == 0 ? TestFrames.ethernet(ip, 100) : TestFrames.ethernet(ip));
        }
        // stream the file: a list of millions of frames would not fit comfortably in a default heap
        try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            java.nio.ByteBuffer h = java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            h.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
            out.write(h.array());
            java.nio.ByteBuffer r = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < packets; i++) {
                byte[] f = templates.get(i % templates.size());
                r.clear();
                r.putInt(1_700_000_000 + i / 50_000).putInt((i % 50_000) * 20).putInt(f.length).putInt(f.length);
                out.write(r.array());
                out.write(f);
            }
        }
    }
}
