package org.callrec.capture.mirror.internal.live;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.callrec.capture.mirror.internal.packet.FrameDecoder;
import org.callrec.capture.mirror.internal.packet.LinkType;
import org.callrec.capture.mirror.internal.packet.TestFrames;

/**
 * Benchmark (not a test): live capture on a veth pair at rising packet rates. For each rate,
 * tcpreplay sends G.711-sized RTP frames into the far end for a few seconds while the capture
 * (the production path: libpcap non-blocking + dispatch, FrameDecoder, a sink) runs on the near
 * end; libpcap's counters (pcap_stats: buffer drops, interface drops), the kernel's rx_dropped of
 * the near end and the datagrams delivered are compared with what tcpreplay sent. Prints the
 * highest rate with zero drops. Needs root, tcpreplay. Run by bench/capture-bench.
 * Arguments: [seconds per rate (default 5)] [rates, comma separated (default 50k..400k and top speed = 0)].
 */
public final class LiveCaptureBenchmark {

    private LiveCaptureBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String rateList = args.length > 1 ? args[1] : "50000,100000,150000,200000,250000,300000,400000,0";
        Path dir = Files.createTempDirectory("crm-bench");
        Path pcap = dir.resolve("rtp.pcap");
        Random random = new Random(1);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            byte[] s = TestFrames.ip("10.1.0." + (10 + i % 200));
            byte[] d = TestFrames.ip("10.1.1.1");
            byte[] udp = TestFrames.udp(s, d, 20000 + 2 * (i % 500), 30000, TestFrames.randomPayload(random, 172));
            frames.add(TestFrames.ethernet(TestFrames.ipv4(s, d, 17, i, 0, false, udp)));
        }
        TestFrames.writePcap(pcap, LinkType.ETHERNET, frames, false, false);
        long best = -1;
        try (VethPair veth = VethPair.create()) {
            for (String r : rateList.split(",")) {
                long rate = Long.parseLong(r.strip());
                int loops = (int) Math.max(1, rate == 0 ? 100 : rate * seconds / frames.size());
                AtomicLong delivered = new AtomicLong();
                FrameDecoder decoder = new FrameDecoder(dg -> delivered.incrementAndGet(), 5_000_000_000L, 4096);
                CaptureSettings settings = new CaptureSettings(veth.near(), true, 65535, 64 << 20, 10,
                        "udp or ip6 proto 44 or (vlan and (udp or ip6 proto 44))");
                long rxDroppedBefore = rxDropped(veth.near());
                CaptureCounters c;
                String out;
                try (LiveCapture capture = LiveCapture.open(settings, "", decoder::frame, decoder)) {
                    // --preload-pcap: the sender reads the file once, so it, not the disk, sets the pace
                    out = rate == 0 ? veth.replay(pcap, "--preload-pcap", "--topspeed", "--loop=" + loops)
                            : veth.replay(pcap, "--preload-pcap", "--pps=" + rate, "--loop=" + loops);
                    long last = -1;
                    while (delivered.get() != last) { // until the capture has drained the buffer
                        last = delivered.get();
                        Thread.sleep(300);
                    }
                    capture.close();
                    c = capture.counters();
                }
                long sent = number(out, "Actual: (\\d+) packets");
                double achieved = decimal(out, "Rated: [\\d.]+ Bps, [\\d.]+ Mbps, ([\\d.]+) pps");
                long kernelDropped = rxDropped(veth.near()) - rxDroppedBefore;
                long lost = sent - delivered.get();
                boolean clean = c.dropped() == 0 && c.droppedByInterface() == 0 && kernelDropped == 0 && lost == 0;
                System.out.printf("target %s pps: sent %d at %.0f pps; pcap_stats received %d, dropped %d, if-dropped %d;"
                        + " veth rx_dropped %d; delivered %d; %s%n", rate == 0 ? "top speed" : rate, sent, achieved,
                        c.received(), c.dropped(), c.droppedByInterface(), kernelDropped, delivered.get(),
                        clean ? "ZERO DROPS" : "LOST " + lost);
                if (clean) {
                    best = Math.max(best, Math.round(achieved));
                }
            }
        }
        System.out.println(best < 0 ? "RESULT live capture: drops at every rate tried"
                : "RESULT live capture: highest achieved rate with zero drops " + best + " pps");
        Files.deleteIfExists(pcap);
        Files.deleteIfExists(dir);
    }

    private static long rxDropped(String nic) throws Exception {
        return Long.parseLong(Files.readString(Path.of("/sys/class/net", nic, "statistics", "rx_dropped")).strip());
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("tcpreplay output lacks '" + regex + "': " + text);
        }
        return Long.parseLong(m.group(1));
    }

    private static double decimal(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
