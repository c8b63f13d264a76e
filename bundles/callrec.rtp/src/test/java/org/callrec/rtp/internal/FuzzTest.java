package org.callrec.rtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.audio.GapMarker;
import org.callrec.api.audio.PcmSink;
import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.rtp.StreamStats;
import org.junit.jupiter.api.Test;

/**
 * One million random and mutated packets (valid RTP with bits flipped, truncated, random lengths,
 * RTCP-looking headers, every payload type of the stream incl. G.729 through bcg729 and
 * telephone-event, arrival times that jump around): nothing may throw out of the play-out, and every
 * packet ends up counted.
 */
class FuzzTest {

    @Test
    void aMillionHostilePacketsThrowNothing() {
        G729Decoders g729 = Codecs.g729("");
        assertTrue(g729.available(), "install libbcg729-0");
        long[] samples = new long[1];
        PcmSink sink = new PcmSink() {
            @Override
            public void pcm(long samplePosition, short[] s, int offset, int length) {
                assertTrue(samplePosition >= 0 && length >= 0 && offset + length <= s.length);
                samples[0] += length;
            }

            @Override
            public void gap(GapMarker gap) {
            }

            @Override
            public void dtmf(DtmfEvent event) {
            }
        };
        Random random = new Random(42);
        List<PayloadFormat> formats = List.of(PayloadFormat.PCMU, PayloadFormat.PCMA, PayloadFormat.G729,
                PayloadFormat.CN, new PayloadFormat(101, "TELEPHONE-EVENT", 8000, 1, ""));
        int[] types = {0, 8, 18, 13, 101, 96, 72};
        long packets = 0;
        long offered = 0;
        for (int call = 0; call < 100; call++) {
            StreamPlayout playout = Codecs.playout(formats, sink, null, g729);
            long arrival = 0;
            int seq = random.nextInt(65_536);
            long ts = random.nextInt() & 0xFFFF_FFFFL;
            for (int i = 0; i < 10_000; i++) {
                int pt = types[random.nextInt(types.length)];
                int len = pt == 18 ? 10 * (1 + random.nextInt(3)) + (random.nextBoolean() ? 2 : 0)
                        : pt == 101 ? 4 : 1 + random.nextInt(320);
                byte[] payload = new byte[len];
                random.nextBytes(payload);
                byte[] p = TestMedia.rtp(pt, random.nextInt(20) == 0, seq, ts, 0x77, payload, 0, len);
                seq = (seq + 1) & 0xFFFF;
                ts = (ts + 160) & 0xFFFF_FFFFL;
                switch (random.nextInt(8)) {
                    case 0 -> p[random.nextInt(p.length)] ^= (byte) (1 << random.nextInt(8));
                    case 1 -> p = java.util.Arrays.copyOf(p, random.nextInt(p.length + 1));
                    case 2 -> random.nextBytes(p);
                    case 3 -> {
                        p[0] = (byte) (0x80 | random.nextInt(64)); // padding/extension/CSRC bits
                        p[random.nextInt(p.length)] = (byte) random.nextInt();
                    }
                    case 4 -> {
                        seq = random.nextInt(65_536);
                        ts = random.nextInt() & 0xFFFF_FFFFL;
                    }
                    default -> {
                    }
                }
                arrival += random.nextInt(10) == 0 ? (long) (random.nextGaussian() * 1e9) : 20_000_000L;
                int offset = random.nextInt(3) == 0 ? random.nextInt(4) : 0;
                int length = p.length - offset + (random.nextInt(50) == 0 ? 1 : 0);
                playout.offer(p, offset, length, arrival);
                if (random.nextInt(100) == 0) {
                    playout.advance(arrival + random.nextInt(1_000_000_000));
                }
                offered++;
            }
            playout.close();
            StreamStats s = playout.stats();
            packets += s.received() + s.malformed() + s.duplicated() + s.late();
            assertTrue(s.received() > 0 && s.malformed() > 0, s.toString());
        }
        assertEquals(1_000_000, offered);
        assertTrue(packets <= offered, "counted " + packets + " of " + offered);
        assertTrue(samples[0] > 0);
    }
}
