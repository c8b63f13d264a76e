package org.callrec.rtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.rtp.StreamStats;
import org.junit.jupiter.api.Test;

/**
 * Ten minutes of speech (espeak-ng, PCMU by sox) through a bad network: 5% random loss, 60 ms
 * uniform jitter (so reordering), a duplicated burst, a sequence wrap at 65535, an SSRC change and a
 * 10 s timestamp jump. The output must stay on the clock (within 20 ms over 10 minutes) and, aligned
 * with the clean decode, keep at least 25 dB SNR on the parts that were received.
 */
class ImpairedStreamTest {

    private static final int PACKET = 160;
    private static final int PACKETS = 30_000; // 10 minutes of 20 ms packets
    private static final int SSRC_CHANGE = 15_000;
    private static final int TS_JUMP = 21_000;

    record Sent(int index, byte[] rtp, long arrivalNanos) {
    }

    @Test
    void tenMinutesThroughABadNetworkStayOnTheClockAndKeepTheAudio() throws Exception {
        short[] speech = TestMedia.readS16(TestMedia.speech());
        byte[] oneSentence = TestMedia.soxEncode(TestMedia.speech(), "ul");
        byte[] codes = new byte[PACKETS * PACKET];
        for (int i = 0; i < codes.length; i += oneSentence.length) {
            System.arraycopy(oneSentence, 0, codes, i, Math.min(oneSentence.length, codes.length - i));
        }
        short[] clean = TestMedia.soxDecode(codes, "ul");
        assertTrue(speech.length > 8000, "speech too short");

        Random random = new Random(20_26);
        boolean[] lost = new boolean[PACKETS];
        List<Sent> network = new ArrayList<>();
        int seq = 65_535 - 200;
        long ts = 0xFFFF_0000L;
        long ssrc = 0x1111_1111L;
        int lostCount = 0;
        int duplicatesSent = 0;
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
            byte[] rtp = TestMedia.rtp(0, i == 0, seq & 0xFFFF, ts & 0xFFFF_FFFFL, ssrc, codes, i * PACKET, PACKET);
            seq++;
            ts += PACKET;
            boolean edge = i < 10 || i >= PACKETS - 10;
            if (!edge && random.nextDouble() < 0.05) {
                lost[i] = true;
                lostCount++;
                continue;
            }
            network.add(new Sent(i, rtp, send + (long) (random.nextDouble() * 60_000_000L)));
            if (i >= 5_000 && i < 5_050) {
                network.add(new Sent(i, rtp, send + 5_000_000L + (long) (random.nextDouble() * 60_000_000L)));
                duplicatesSent++;
            }
        }
        network.sort(Comparator.comparingLong(Sent::arrivalNanos));

        CollectingSink sink = new CollectingSink();
        StreamPlayout playout = Codecs.playout(List.of(PayloadFormat.PCMU), sink, null, null);
        long start = network.get(0).arrivalNanos;
        long reorderedInNetwork = 0;
        int highest = -1;
        for (Sent s : network) {
            if (s.index < highest) {
                reorderedInNetwork++;
            }
            highest = Math.max(highest, s.index);
            playout.offer(s.rtp, 0, s.rtp.length, s.arrivalNanos - start + 1_000_000_000L);
        }
        playout.close();

        StreamStats stats = playout.stats();
        long expected = (long) PACKETS * PACKET;
        assertTrue(Math.abs(sink.end - expected) <= 160,
                "output " + sink.end + " samples, RTP clock says " + expected + " (off by "
                        + (sink.end - expected) / 8.0 + " ms)");
        assertEquals(lostCount, stats.lost(), "lost");
        assertTrue(duplicatesSent > 40);
        assertEquals(duplicatesSent, stats.duplicated(), "duplicated");
        assertEquals(0, stats.late(), "late (jitter 60 ms < window 120 ms)");
        assertTrue(stats.reordered() > 0 && reorderedInNetwork > 0, "reordered " + stats.reordered());
        assertTrue(stats.maxJitterMillis() > 5 && stats.maxJitterMillis() < 60, "jitter " + stats.maxJitterMillis());
        assertTrue(stats.concealedMillis() >= lostCount * 20L - 100 && stats.concealedMillis() <= lostCount * 20L,
                "concealed " + stats.concealedMillis() + " ms for " + lostCount + " lost packets");

        // Align each segment (SSRC change and jump start new ones) with the clean decode, then measure
        double signal = 0;
        double noise = 0;
        int[] starts = {0, SSRC_CHANGE, TS_JUMP, PACKETS};
        for (int k = 0; k < 3; k++) {
            long offset = align(sink.pcm, clean, lost, starts[k], starts[k + 1]);
            for (int i = starts[k]; i < starts[k + 1]; i++) {
                if (lost[i]) {
                    continue;
                }
                for (int j = 0; j < PACKET; j++) {
                    long at = offset + (long) i * PACKET + j;
                    double s = clean[i * PACKET + j];
                    double o = at >= 0 && at < sink.end ? sink.pcm[(int) at] : 0;
                    signal += s * s;
                    noise += (s - o) * (s - o);
                }
            }
        }
        double snr = noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
        assertTrue(snr >= 25, "SNR on received parts " + snr + " dB");
    }

    /** Offset (output position minus clean position) at which a loud received packet of the segment matches. */
    private static long align(short[] out, short[] clean, boolean[] lost, int from, int to) {
        int probe = from;
        double best = -1;
        for (int i = from; i < Math.min(to, from + 200); i++) {
            if (lost[i]) {
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
