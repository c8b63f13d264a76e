package org.callrec.capture.mirror.internal.live;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.callrec.capture.mirror.internal.packet.FrameDecoder;
import org.callrec.capture.mirror.internal.packet.LinkType;
import org.callrec.capture.mirror.internal.packet.TestFrames;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.RawPacketListener;

/**
 * Benchmark (not a test): how fast the capture path drains libpcap, without the sender competing
 * for the CPU. Packets are replayed onto the veth pair into a large kernel buffer while nobody
 * reads; then the same loop as {@link LiveCapture} (non-blocking pcap_dispatch into
 * {@link FrameDecoder}) drains it, timed. Run by bench/capture-bench drain [packets].
 */
public final class DrainBenchmark {

    private DrainBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int packets = args.length > 0 ? Integer.parseInt(args[0]) : 400_000;
        Path dir = Files.createTempDirectory("crm-bench");
        Path pcap = dir.resolve("rtp.pcap");
        Random random = new Random(1);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            byte[] s = TestFrames.ip("10.1.0." + (10 + i % 200));
            byte[] d = TestFrames.ip("10.1.1.1");
            frames.add(TestFrames.ethernet(TestFrames.ipv4(s, d, 17, i, 0, false,
                    TestFrames.udp(s, d, 20000 + 2 * (i % 500), 30000, TestFrames.randomPayload(random, 172)))));
        }
        TestFrames.writePcap(pcap, LinkType.ETHERNET, frames, false, false);
        PcapLibrary.configure("");
        try (VethPair veth = VethPair.create()) {
            PcapHandle handle = new PcapHandle.Builder(veth.near()).snaplen(65535)
                    .promiscuousMode(PromiscuousMode.PROMISCUOUS).timeoutMillis(10).bufferSize(1 << 30).build();
            try {
                handle.setFilter("udp or ip6 proto 44 or (vlan and (udp or ip6 proto 44))", BpfCompileMode.OPTIMIZE);
                handle.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
                String out = veth.replay(pcap, "--preload-pcap", "--topspeed", "--loop=" + packets / frames.size());
                Thread.sleep(500);
                long[] delivered = new long[1];
                FrameDecoder decoder = new FrameDecoder(dg -> delivered[0]++, 5_000_000_000L, 4096);
                RawPacketListener listener = p -> decoder.frame(LinkType.ETHERNET, p, 0, p.length, p.length,
                        handle.getTimestamp().getTime() * 1_000_000L);
                long t0 = System.nanoTime();
                int idle = 0;
                while (idle < 100) {
                    int n = handle.dispatch(-1, listener);
                    if (n <= 0) {
                        idle++;
                        Thread.sleep(1);
                    } else {
                        idle = 0;
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9 - 0.1; // minus the idle tail
                var stats = handle.getStats();
                System.out.println(out.strip().lines().filter(l -> l.contains("Actual") || l.contains("Rated"))
                        .reduce((a, b) -> a + "; " + b).orElse(""));
                System.out.printf("pcap_stats received %d, dropped %d, if-dropped %d; delivered %d%n",
                        stats.getNumPacketsReceived(), stats.getNumPacketsDropped(), stats.getNumPacketsDroppedByIf(),
                        delivered[0]);
                System.out.printf("RESULT capture drain: %.0f packets/s on one capture thread (%d packets in %.3f s)%n",
                        delivered[0] / seconds, delivered[0], seconds);
            } finally {
                handle.close();
            }
        }
        Files.deleteIfExists(pcap);
        Files.deleteIfExists(dir);
    }
}
