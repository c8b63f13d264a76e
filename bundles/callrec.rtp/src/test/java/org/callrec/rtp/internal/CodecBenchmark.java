package org.callrec.rtp.internal;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.audio.GapMarker;
import org.callrec.api.audio.PcmSink;
import org.callrec.api.rtp.AudioDecoder;
import org.callrec.api.rtp.PayloadFormat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmarks (run by bench/run, figures in BENCHMARKS.md): decode time per 10 ms frame for
 * PCMU, PCMA and G.729 (the same bcg729 frames the C reference decodes), G.711 throughput, and the
 * play-out cost per packet. Not a test: it never runs in the build.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {

    /** 10 ms of G.711: 80 codes. */
    @State(Scope.Thread)
    public static class G711Frame {
        final byte[] codes = new byte[80];
        final byte[] block = new byte[80_000];
        final short[] out = new short[80_000];
        AudioDecoder pcmu;
        AudioDecoder pcma;

        @Setup
        public void setup() {
            new Random(1).nextBytes(codes);
            new Random(2).nextBytes(block);
            pcmu = new PcmuDecoders().create();
            pcma = new PcmaDecoders().create();
        }
    }

    @Benchmark
    public short[] pcmuFrame(G711Frame s) {
        s.pcmu.decode(s.codes, 0, 80, s.out, 0);
        return s.out;
    }

    @Benchmark
    public short[] pcmaFrame(G711Frame s) {
        s.pcma.decode(s.codes, 0, 80, s.out, 0);
        return s.out;
    }

    /** 80,000 samples (10 s) per operation: samples per second = 80,000 / time. */
    @Benchmark
    public short[] pcmuBlock80kSamples(G711Frame s) {
        s.pcmu.decode(s.block, 0, s.block.length, s.out, 0);
        return s.out;
    }

    /** The bcg729-encoded speech frames in the file named by -Dcallrec.bench.frames (g729ref format). */
    @State(Scope.Thread)
    public static class G729Frames {
        List<byte[]> frames = new ArrayList<>();
        AudioDecoder decoder;
        final short[] out = new short[160];
        int next;

        @Setup(Level.Trial)
        public void setup() throws Exception {
            byte[] b = Files.readAllBytes(Paths.get(System.getProperty("callrec.bench.frames")));
            for (int i = 0; i < b.length;) {
                int len = b[i++] & 0xFF;
                if (len == 255) {
                    frames.add(null);
                    continue;
                }
                byte[] f = new byte[len];
                System.arraycopy(b, i, f, 0, len);
                i += len;
                frames.add(f);
            }
            G729Decoders g729 = new G729Decoders();
            if (Bcg729.bind(Bcg729.DEFAULT_LIBRARY) != null) {
                throw new IllegalStateException("install libbcg729-0");
            }
            decoder = g729.create();
        }

        @TearDown(Level.Trial)
        public void close() {
            decoder.close();
        }
    }

    /** One 10 ms frame per operation, cycling through the speech as the C reference does. */
    @Benchmark
    public short[] g729Frame(G729Frames s) {
        byte[] f = s.frames.get(s.next);
        s.next = s.next + 1 == s.frames.size() ? 0 : s.next + 1;
        if (f == null || f.length == 0) {
            s.decoder.conceal(s.out, 0, 80);
        } else {
            s.decoder.decode(f, 0, f.length, s.out, 0);
        }
        return s.out;
    }

    /**
     * All frames once per operation, sampled per operation, so the fastest and the median pass can be
     * compared with the C reference's (g729ref bench) on a machine that other work keeps busy.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public short[] g729Pass(G729Frames s) {
        for (byte[] f : s.frames) {
            if (f == null || f.length == 0) {
                s.decoder.conceal(s.out, 0, 80);
            } else {
                s.decoder.decode(f, 0, f.length, s.out, 0);
            }
        }
        return s.out;
    }

    /** A PCMU stream of 20 ms packets, in order, 1% reordered pairs; the sink discards. */
    @State(Scope.Thread)
    public static class Stream {
        static final int PACKETS = 4096;
        final byte[][] packets = new byte[PACKETS][];
        final long[] arrivals = new long[PACKETS];
        StreamPlayout playout;
        int next;
        long round;

        @Setup(Level.Iteration)
        public void setup() {
            Random r = new Random(3);
            byte[] payload = new byte[160];
            r.nextBytes(payload);
            for (int i = 0; i < PACKETS; i++) {
                packets[i] = TestMedia.rtp(0, false, i & 0xFFFF, i * 160L, 9, payload, 0, 160);
                arrivals[i] = i * 20_000_000L + r.nextInt(30_000_000);
            }
            open();
        }

        void open() {
            PcmSink discard = new PcmSink() {
                @Override
                public void pcm(long samplePosition, short[] samples, int offset, int length) {
                }

                @Override
                public void gap(GapMarker gap) {
                }

                @Override
                public void dtmf(DtmfEvent event) {
                }
            };
            playout = Codecs.playout(List.of(PayloadFormat.PCMU), discard, null, null);
            next = 0;
        }
    }

    /** Offer one packet (parse, de-duplicate, order, release, decode PCMU, hand to the sink). */
    @Benchmark
    public void playoutPerPacket(Stream s) {
        if (s.next == Stream.PACKETS) {
            s.playout.close();
            s.open();
        }
        byte[] p = s.packets[s.next];
        s.playout.offer(p, 0, p.length, s.arrivals[s.next]);
        s.next++;
    }
}
