package org.callrec.capture.mirror.internal.live;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
 * Benchmark (not a test): live capture on a veth pair at rising packet rates. For each rate, our
 * paced sender (bench/rtp-sender.c, built by bench/capture-bench) sends G.711-sized RTP frames into
 * the far end for N seconds at exactly that rate while the capture (the production path: libpcap
 * non-blocking + dispatch, FrameDecoder, a sink) runs on the near end; libpcap's counters
 * (pcap_stats: buffer drops, interface drops), the kernel's rx_dropped of the near end, the far
 * end's tx_dropped and the datagrams delivered are compared with what the sender sent. Prints the
 * highest rate with zero drops, and the capture thread's and process's CPU time per rate. Needs
 * root and gcc. Run by bench/capture-bench.
 * Arguments: [seconds per rate (default 30)] [rates in packets/s, comma separated].
 * System properties: {@code sender} (the built sender, required), {@code senderCpu} (if set, the
 * sender runs under taskset -c on these CPUs), {@code senderFifo} (if set, the sender runs with
 * this SCHED_FIFO priority, chrt -f, so other processes on a shared machine do not pre-empt it:
 * it sleeps between batches, so it never takes a whole core), {@code bufferMiB} (libpcap's kernel
 * buffer, default 64 as in the capture's configuration).
 */
public final class LiveCaptureBenchmark {

    private LiveCaptureBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        String rateList = args.length > 1 ? args[1] : "100000,150000,200000,250000,300000,400000";
        String sender = System.getProperty("sender");
        if (sender == null || !Files.isExecutable(Path.of(sender))) {
            throw new IllegalArgumentException("-Dsender must name the built bench/rtp-sender.c (got " + sender + ")");
        }
        String senderCpu = System.getProperty("senderCpu", "");
        String senderFifo = System.getProperty("senderFifo", "");
        int bufferMiB = Integer.getInteger("bufferMiB", 64); // the capture's configured default
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
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long best = -1;
        try (VethPair veth = VethPair.create()) {
            for (String r : rateList.split(",")) {
                long rate = Long.parseLong(r.strip());
                AtomicLong delivered = new AtomicLong();
                FrameDecoder decoder = new FrameDecoder(dg -> delivered.incrementAndGet(), 5_000_000_000L, 4096);
                CaptureSettings settings = new CaptureSettings(veth.near(), true, 65535, bufferMiB << 20, 10,
                        "udp or ip6 proto 44 or (vlan and (udp or ip6 proto 44))");
                long rxDroppedBefore = statistic(veth, false, "rx_dropped");
                long txDroppedBefore = statistic(veth, true, "tx_dropped");
                String loadBefore = loadAverage();
                CaptureCounters c;
                String out;
                long captureCpu;
                long runQueueWait;
                long processCpu;
                long wall;
                try (LiveCapture capture = LiveCapture.open(settings, "", decoder::frame, decoder)) {
                    Thread captureThread = thread("callrec-capture-" + veth.near());
                    long threadCpu0 = threads.getThreadCpuTime(captureThread.getId());
                    Path schedstat = schedstat("callrec-capture"); // the kernel keeps 15 characters of the name
                    long[] sched0 = readSchedstat(schedstat);
                    long processCpu0 = os.getProcessCpuTime();
                    long wall0 = System.nanoTime();
                    List<String> cmd = new ArrayList<>();
                    if (!senderCpu.isBlank()) {
                        cmd.addAll(List.of("taskset", "-c", senderCpu));
                    }
                    if (!senderFifo.isBlank()) {
                        cmd.addAll(List.of("chrt", "-f", senderFifo));
                    }
                    cmd.addAll(List.of(sender, veth.far(), pcap.toString(), Long.toString(rate),
                            Integer.toString(seconds)));
                    // which seconds of the run had drops: a burst (scheduling) or steady (too slow)
                    List<String> dropSeconds = new ArrayList<>();
                    Thread sampler = new Thread(() -> {
                        long seen = 0;
                        for (int t = 1; !Thread.currentThread().isInterrupted(); t++) {
                            try {
                                Thread.sleep(1000);
                            } catch (InterruptedException e) {
                                return;
                            }
                            long d = capture.counters().dropped();
                            if (d > seen) {
                                synchronized (dropSeconds) {
                                    dropSeconds.add(t + "s:" + (d - seen));
                                }
                                seen = d;
                            }
                        }
                    }, "drop-sampler");
                    sampler.setDaemon(true);
                    sampler.start();
                    out = veth.exec(cmd.toArray(String[]::new));
                    sampler.interrupt();
                    sampler.join();
                    if (!dropSeconds.isEmpty()) {
                        System.out.println("  libpcap drops by second of the run: " + dropSeconds);
                    }
                    long last = -1;
                    while (delivered.get() != last) { // until the capture has drained the buffer
                        last = delivered.get();
                        Thread.sleep(300);
                    }
                    captureCpu = threads.getThreadCpuTime(captureThread.getId()) - threadCpu0;
                    long[] sched1 = readSchedstat(schedstat);
                    runQueueWait = sched1[1] - sched0[1];
                    processCpu = os.getProcessCpuTime() - processCpu0;
                    wall = System.nanoTime() - wall0;
                    capture.close();
                    c = capture.counters();
                }
                Matcher m = Pattern.compile("sent (\\d+) packets in ([\\d.]+) s = (\\d+) pps").matcher(out);
                if (!m.find()) {
                    throw new IllegalStateException("sender output lacks its summary: " + out);
                }
                long sent = Long.parseLong(m.group(1));
                long achieved = Long.parseLong(m.group(3));
                long kernelDropped = statistic(veth, false, "rx_dropped") - rxDroppedBefore;
                long senderDropped = statistic(veth, true, "tx_dropped") - txDroppedBefore;
                long lost = sent - delivered.get();
                boolean clean = c.dropped() == 0 && c.droppedByInterface() == 0 && kernelDropped == 0
                        && senderDropped == 0 && lost == 0;
                System.out.printf("target %d pps for %d s, %d MiB buffer: %s%n  pcap_stats received %d, dropped %d, if-dropped %d;"
                        + " near rx_dropped %d; far tx_dropped %d; delivered %d; %s%n"
                        + "  capture thread CPU %.1f s (%.0f%% of one core), runnable but waiting for a CPU %.1f s;"
                        + " whole process %.1f s; load average %s -> %s%n",
                        rate, seconds, bufferMiB, out.strip(), c.received(), c.dropped(), c.droppedByInterface(), kernelDropped,
                        senderDropped, delivered.get(), clean ? "ZERO DROPS" : "LOST " + lost, captureCpu / 1e9,
                        100.0 * captureCpu / wall, runQueueWait / 1e9, processCpu / 1e9, loadBefore, loadAverage());
                if (clean) {
                    best = Math.max(best, achieved);
                }
            }
        }
        System.out.println(best < 0 ? "RESULT live capture: drops at every rate tried"
                : "RESULT live capture: highest achieved rate with zero drops " + best + " pps, "
                        + seconds + " s per rate");
        Files.deleteIfExists(pcap);
        Files.deleteIfExists(dir);
    }

    private static Thread thread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no thread " + name));
    }

    /** The capture thread's /proc schedstat (run time, run-queue wait, time slices), found by its name. */
    private static Path schedstat(String name) throws Exception {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                if (Files.readString(task.resolve("comm")).strip().equals(name)) {
                    return task.resolve("schedstat");
                }
            }
        }
        throw new IllegalStateException("no thread named " + name + " in /proc/self/task");
    }

    private static long[] readSchedstat(Path schedstat) throws Exception {
        String[] f = Files.readString(schedstat).strip().split(" ");
        return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
    }

    private static String loadAverage() throws Exception {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    /** A counter of one end: the near end read here, the far end inside its namespace. */
    private static long statistic(VethPair veth, boolean far, String name) throws Exception {
        if (far) {
            return Long.parseLong(veth.exec("cat", "/sys/class/net/" + veth.far() + "/statistics/" + name).strip());
        }
        return Long.parseLong(Files.readString(Path.of("/sys/class/net", veth.near(), "statistics", name)).strip());
    }
}
