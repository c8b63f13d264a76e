package org.callrec.rtp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.callrec.api.rtp.AudioDecoder;
import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.rtp.StreamStats;
import org.callrec.rtp.internal.TestMedia.Frame;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * G.729 through our bundle against bcg729's own decoder (the C program in src/test/c) on the very
 * same frames, with and without VAD (so SID and DTX frames occur), and with erased frames.
 */
class G729ConformanceTest {

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void decoderIsBitExactWithBcg729(boolean vad) throws Exception {
        List<Frame> frames = TestMedia.g729Encode(TestMedia.speech(), vad);
        if (vad) {
            assertTrue(frames.stream().anyMatch(Frame::sid), "VAD produced no SID frame");
            assertTrue(frames.stream().anyMatch(f -> f.bits().length == 0), "VAD produced no DTX frame");
        }
        short[] reference = TestMedia.g729Decode(frames, null);
        G729Decoders factory = Codecs.g729("");
        assertTrue(factory.available(), "libbcg729.so.0 not loadable: install libbcg729-0");
        short[] ours = new short[frames.size() * 80];
        try (AudioDecoder d = factory.create()) {
            for (int i = 0; i < frames.size(); i++) {
                byte[] bits = frames.get(i).bits();
                int n = bits.length == 0 ? d.conceal(ours, i * 80, 80) : d.decode(bits, 0, bits.length, ours, i * 80);
                assertEquals(80, n);
            }
        }
        assertArrayEquals(reference, ours, "G.729 decode differs from bcg729's (vad=" + vad + ")");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void playoutWithLossIsBitExactWithBcg729OnErasedFrames(boolean vad) throws Exception {
        List<Frame> frames = TestMedia.g729Encode(TestMedia.speech(), vad);
        List<G729Packets.Packet> packets = G729Packets.packetize(frames);
        boolean[] erased = new boolean[frames.size()];
        List<G729Packets.Packet> sent = G729Packets.drop(packets, erased, new Random(vad ? 11 : 7), 0.05);
        assertTrue(sent.size() < packets.size(), "no packet was lost");
        short[] reference = TestMedia.g729Decode(frames, erased);

        CollectingSink sink = new CollectingSink();
        StreamPlayout playout = Codecs.playout(List.of(PayloadFormat.G729), sink, null, Codecs.g729(""));
        G729Packets.send(sent, playout);
        playout.close();

        G729Packets.Packet last = sent.get(sent.size() - 1);
        assertEquals(last.endSample(), sink.end, "output length");
        assertArrayEquals(Arrays.copyOf(reference, (int) sink.end), sink.written(),
                "G.729 play-out differs from bcg729 on the same frames and erasures (vad=" + vad + ")");
        StreamStats stats = playout.stats();
        assertEquals(packets.size() - sent.size(), stats.lost());
        assertTrue(stats.concealedMillis() > 0);
        assertEquals(0, stats.malformed() + stats.late());
    }

    /** Packets as a phone sends them. */
    static final class G729Packets {
        record Packet(int index, int firstFrame, int frames, byte[] payload, boolean marker) {
            long endSample() {
                return (long) (firstFrame + frames) * 80;
            }
        }

        /** Up to two frames per packet; a SID ends a packet (RFC 3551 4.5.6); DTX frames are not sent. */
        static List<Packet> packetize(List<Frame> frames) {
            List<Packet> out = new ArrayList<>();
            java.io.ByteArrayOutputStream cur = new java.io.ByteArrayOutputStream();
            int first = -1;
            int count = 0;
            boolean afterSilence = true;
            boolean marker = false;
            for (int i = 0; i <= frames.size(); i++) {
                Frame f = i < frames.size() ? frames.get(i) : null;
                boolean flush = f == null || f.bits().length == 0;
                if (!flush) {
                    if (first < 0) {
                        first = i;
                        marker = afterSilence;
                    }
                    cur.writeBytes(f.bits());
                    count++;
                    afterSilence = false;
                    flush = f.sid() || count == 2;
                } else {
                    afterSilence = true;
                }
                if (flush && count > 0) {
                    out.add(new Packet(out.size(), first, count, cur.toByteArray(), marker));
                    cur.reset();
                    first = -1;
                    count = 0;
                }
            }
            return out;
        }

        /** Drops packets at random (never the first or last) and marks their frames erased. */
        static List<Packet> drop(List<Packet> packets, boolean[] erased, Random random, double rate) {
            List<Packet> sent = new ArrayList<>();
            for (int i = 0; i < packets.size(); i++) {
                Packet p = packets.get(i);
                if (i > 0 && i < packets.size() - 1 && random.nextDouble() < rate) {
                    Arrays.fill(erased, p.firstFrame, p.firstFrame + p.frames, true);
                } else {
                    sent.add(p);
                }
            }
            return sent;
        }

        static void send(List<Packet> sent, StreamPlayout playout) {
            for (Packet p : sent) {
                // sequence numbers count the packets the phone sent (wrapping during the call), so a
                // dropped packet leaves a hole
                byte[] rtp = TestMedia.rtp(18, p.marker, (65_500 + p.index) & 0xFFFF, 0xFFFF_F000L + p.firstFrame * 80L,
                        0xCAFE, p.payload, 0, p.payload.length);
                playout.offer(rtp, 0, rtp.length, p.firstFrame * 10_000_000L + 1_000_000L);
            }
        }
    }
}
