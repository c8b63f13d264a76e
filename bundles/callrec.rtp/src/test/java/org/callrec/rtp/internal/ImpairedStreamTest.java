package org.callrec.rtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.rtp.StreamStats;
import org.callrec.rtp.internal.TestMedia.Frame;
import org.junit.jupiter.api.Test;

/**
 * Ten minutes of speech (espeak-ng; PCMU by sox, G.729 by bcg729) through a bad network: 5% random
 * loss, 60 ms uniform jitter (so reordering), a duplicated burst, a sequence wrap at 65535, a
 * timestamp wrap, an SSRC change and a 10 s timestamp jump. The output must stay on the clock
 * (within 20 ms over 10 minutes) and, aligned with the clean decode, keep at least 25 dB SNR on the
 * parts that were received.
 */
class ImpairedStreamTest {

    private static final int PACKET = 160; // 20 ms
    private static final int PACKETS = 30_000; // 10 minutes
    private static final int SSRC_CHANGE = 15_000;
    private static final int TS_JUMP = 21_000;

    record Sent(int index, byte[] rtp, long arrivalNanos) {
    }

    /** What the network did to a stream. */
    static final class Network {
        final List<Sent> arrivals = new ArrayList<>();
        final boolean[] lost = new boolean[PACKETS];
        int lostCount;
        int duplicatesSent;
    }

    static Network impair(byte[][] payloads, int payloadType, long seed) {
        Random random = new Random(seed);
        Network n = new Network();
        int seq = 65_535 - 200;
        long ts = 0xFFFF_0000L;
        long ssrc = 0x1111_1111L;
        for (int i = 0; i < PACKETS; i++) {
            if (i == SSRC_CHANGE) {
                ssrc = 0x2222_2222L;
                seq = random.nextInt(65_536);
                ts = random.nextInt() & 0xFFFF_FFFFL;
            }
            if (i == TS_JUMP) {
                ts += 80_000; // the sender's timestamp leaps 10 s; real time does not
            }
            long send = i * 20_000_000L;
            byte[] rtp = TestMedia.rtp(payloadType, i == 0, seq & 0xFFFF, ts & 0xFFFF_FFFFL, ssrc, payloads[i], 0,
                    payloads[i].length);
            seq++;
            ts += PACKET;
            // a loss at the very start or end of a stream (or of a segment) cannot be seen from sequence numbers
            boolean edge = i < 10 || i >= PACKETS - 10 || Math.abs(i - SSRC_CHANGE) < 3 || Math.abs(i - TS_JUMP) < 3;
            if (!edge && random.nextDouble() < 0.05) {
                n.lost[i] = true;
                n.lostCount++;
                continue;
            }
            n.arrivals.add(new Sent(i, rtp, send + (long) (random.nextDouble() * 60_000_000L)));
            if (i >= 5_000 && i < 5_050) {
                n.arrivals.add(new Sent(i, rtp, send + 5_000_000L + (long) (random.nextDouble() * 60_000_000L)));
                n.duplicatesSent++;
            }
        }
        n.arrivals.sort(Comparator.comparingLong(Sent::arrivalNanos));
        return n;
    }

    @Test
    void pcmuForTenMinutesThroughABadNetwork() throws Exception {
        byte[] sentence = TestMedia.soxEncode(TestMedia.speech(), "ul");
        byte[] codes = new byte[PACKETS * PACKET];
        for (int i = 0; i < codes.length; i += sentence.length) {
            System.arraycopy(sentence, 0, codes, i, Math.min(sentence.length, codes.length - i));
        }
        short[] clean = TestMedia.soxDecode(codes, "ul");
        byte[][] payloads = new byte[PACKETS][];
        for (int i = 0; i < PACKETS; i++) {
            payloads[i] = java.util.Arrays.copyOfRange(codes, i * PACKET, (i + 1) * PACKET);
        }
        check("PCMU", impair(payloads, 0, 2026), PayloadFormat.PCMU, null, clean, clean);
    }

    @Test
    void g729ForTenMinutesThroughABadNetwork() throws Exception {
        short[] speech = TestMedia.readS16(TestMedia.speech());
        short[] call = TestMedia.loop(speech, PACKETS * PACKET);
        java.nio.file.Path s16 = TestMedia.work().resolve("ten-minutes.s16");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(call.length * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(call);
        java.nio.file.Files.write(s16, b.array());
        List<Frame> frames = TestMedia.g729Encode(s16, false);
        assertEquals(2 * PACKETS, frames.size());
        short[] clean = TestMedia.g729Decode(frames, null);
        byte[][] payloads = new byte[PACKETS][];
        for (int i = 0; i < PACKETS; i++) {
            payloads[i] = new byte[20];
            System.arraycopy(frames.get(2 * i).bits(), 0, payloads[i], 0, 10);
            System.arraycopy(frames.get(2 * i + 1).bits(), 0, payloads[i], 10, 10);
        }
        Network net = impair(payloads, 18, 729);
        boolean[] erased = new boolean[frames.size()];
        for (int i = 0; i < PACKETS; i++) {
            erased[2 * i] = erased[2 * i + 1] = net.lost[i];
        }
        // G.729 is predictive and its concealment pseudo-random: after a lost frame even bcg729's own
        // decoder departs from the clean decode (about 10 dB waveform SNR at 5% loss). So the reference
        // is bcg729 decoding the same frames with the same erasures, with a fresh decoder from the SSRC
        // change on (a new SSRC is a new encoder); the clean decode's SNR is printed beside it.
        int change = 2 * SSRC_CHANGE;
        short[] before = TestMedia.g729Decode(frames.subList(0, change), java.util.Arrays.copyOfRange(erased, 0, change));
        short[] after = TestMedia.g729Decode(frames.subList(change, frames.size()),
                java.util.Arrays.copyOfRange(erased, change, erased.length));
        short[] reference = java.util.Arrays.copyOf(before, before.length + after.length);
        System.arraycopy(after, 0, reference, before.length, after.length);
        G729Decoders g729 = Codecs.g729("");
        CollectingSink live = check("G729", net, PayloadFormat.G729, g729, reference, clean);

        // The same call where bcg729 is missing: kept raw, decoded later, identical to the live decode
        org.callrec.api.rtp.DecoderFactory missing = new org.callrec.api.rtp.DecoderFactory() {
            @Override
            public String encoding() {
                return "G729";
            }

            @Override
            public boolean available() {
                return false;
            }

            @Override
            public org.callrec.api.rtp.AudioDecoder create() {
                throw new IllegalStateException("unavailable");
            }
        };
        CollectingSink kept = new CollectingSink();
        StreamPlayout raw = new StreamPlayout(List.of(PayloadFormat.G729), Codecs.all(missing), 0, 0, kept, kept, 960, 8000);
        play(net, raw);
        assertTrue(raw.decodePending());
        assertEquals(0, kept.pcmCalls, "no PCM without the decoder");
        assertEquals(live.gaps, kept.gaps, "the resynchronisation gaps are marked live");
        CollectingSink later = new CollectingSink();
        RawReplay.decode(g729, 0, kept.raw, later);
        assertEquals(live.end, later.end);
        assertTrue(java.util.Arrays.equals(live.written(), later.written()), "raw decode differs from the live decode");
        assertEquals(live.gaps, later.gaps);
    }

    private static void play(Network net, StreamPlayout playout) {
        long start = net.arrivals.get(0).arrivalNanos;
        for (Sent s : net.arrivals) {
            playout.offer(s.rtp, 0, s.rtp.length, s.arrivalNanos - start + 1_000_000_000L);
        }
        playout.close();
    }

    private static CollectingSink check(String name, Network net, PayloadFormat format, G729Decoders g729,
            short[] reference, short[] clean) {
        CollectingSink sink = new CollectingSink();
        StreamPlayout playout = Codecs.playout(List.of(format), sink, null, g729);
        play(net, playout);

        StreamStats stats = playout.stats();
        long expected = (long) PACKETS * PACKET;
        assertTrue(Math.abs(sink.end - expected) <= 160, name + ": output " + sink.end + " samples, RTP clock says "
                + expected + " (off by " + (sink.end - expected) / 8.0 + " ms)");
        assertEquals(net.lostCount, stats.lost(), "lost");
        assertTrue(net.duplicatesSent > 40);
        assertEquals(net.duplicatesSent, stats.duplicated(), "duplicated");
        assertEquals(0, stats.late(), "late (jitter 60 ms < window 120 ms)");
        assertTrue(stats.reordered() > 0, "reordered " + stats.reordered());
        assertTrue(stats.maxJitterMillis() > 5 && stats.maxJitterMillis() < 60, "jitter " + stats.maxJitterMillis());
        assertTrue(stats.concealedMillis() >= net.lostCount * 20L - 100 && stats.concealedMillis() <= net.lostCount * 20L,
                "concealed " + stats.concealedMillis() + " ms for " + net.lostCount + " lost packets");

        // Align each segment (the SSRC change and the jump start new ones) with the reference, then measure
        int[] starts = {0, SSRC_CHANGE, TS_JUMP, PACKETS};
        long[] offsets = new long[3];
        for (int k = 0; k < 3; k++) {
            offsets[k] = align(sink.pcm, reference, net.lost, starts[k], starts[k + 1]);
        }
        double snr = snr(sink, reference, net.lost, starts, offsets);
        double snrClean = snr(sink, clean, net.lost, starts, offsets);
        System.out.printf("%s: 10 min, %d lost, %d duplicated, %d reordered, max jitter %.1f ms, concealed %d ms, "
                + "length off by %.1f ms, segment offsets %s samples, SNR on received parts %.1f dB "
                + "(vs clean decode %.1f dB)%n", name, stats.lost(), stats.duplicated(), stats.reordered(),
                stats.maxJitterMillis(), stats.concealedMillis(), (sink.end - expected) / 8.0,
                java.util.Arrays.toString(offsets), snr, snrClean);
        assertTrue(snr >= 25, name + ": SNR on received parts " + snr + " dB");
        return sink;
    }

    private static double snr(CollectingSink sink, short[] reference, boolean[] lost, int[] starts, long[] offsets) {
        double signal = 0;
        double noise = 0;
        for (int k = 0; k < 3; k++) {
            for (int i = starts[k]; i < starts[k + 1]; i++) {
                if (lost[i]) {
                    continue;
                }
                for (int j = 0; j < PACKET; j++) {
                    long at = offsets[k] + (long) i * PACKET + j;
                    double s = reference[i * PACKET + j];
                    double o = at >= 0 && at < sink.end ? sink.pcm[(int) at] : 0;
                    signal += s * s;
                    noise += (s - o) * (s - o);
                }
            }
        }
        return noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
    }

    /** Offset (output position minus clean position) at which the loudest early received packet of a segment matches best. */
    private static long align(short[] out, short[] clean, boolean[] lost, int from, int to) {
        int probe = from;
        double best = -1;
        for (int i = from + 5; i < Math.min(to, from + 200); i++) {
            if (lost[i] || lost[i - 1] || lost[i - 2]) {
                continue;
            }
            double e = 0;
            for (int j = 0; j < PACKET; j++) {
                e += Math.abs(clean[i * PACKET + j]);
            }
            if (e > best) {
                best = e;
                probe = i;
            }
        }
        long nominal = (long) probe * PACKET;
        long bestOffset = 0;
        double bestErr = Double.MAX_VALUE;
        for (long o = -8000; o <= 8000; o++) {
            double err = 0;
            for (int j = 0; j < PACKET && err < bestErr; j++) {
                long at = nominal + o + j;
                double d = clean[probe * PACKET + j] - (at >= 0 && at < out.length ? out[(int) at] : 0);
                err += d * d;
            }
            if (err < bestErr) {
                bestErr = err;
                bestOffset = o;
            }
        }
        return bestOffset;
    }
}
