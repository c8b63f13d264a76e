package org.callrec.rtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.audio.GapMarker;
import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.rtp.RtcpStats;
import org.callrec.api.rtp.StreamStats;
import org.junit.jupiter.api.Test;

/** Play-out behaviour on hand-made streams whose every packet decodes to a value naming it. */
class PlayoutTest {

    private static final long MS = 1_000_000L;
    private final CollectingSink sink = new CollectingSink();
    private final StreamPlayout playout = Codecs.playout(
            List.of(PayloadFormat.PCMU, new PayloadFormat(101, "telephone-event", 8000, 1, "0-16")), sink, null, null);

    /** 20 ms of PCMU whose samples all decode to the value of code {@code 0x10 + n % 100}. */
    private static byte[] packet(int n, int seq, long ts, long ssrc, boolean marker) {
        byte[] payload = new byte[160];
        java.util.Arrays.fill(payload, (byte) (0x10 + n % 100));
        return TestMedia.rtp(0, marker, seq & 0xFFFF, ts & 0xFFFF_FFFFL, ssrc, payload, 0, 160);
    }

    private static short value(int n) {
        return G711.ULAW[0x10 + n % 100];
    }

    private void offer(byte[] p, long arrivalNanos) {
        playout.offer(p, 0, p.length, arrivalNanos);
    }

    private void assertPacketAt(int n, long position) {
        for (int i = 0; i < 160; i++) {
            assertEquals(value(n), sink.pcm[(int) position + i], "packet " + n + " sample " + i + " at " + position);
        }
    }

    @Test
    void reorderedPacketsArePlayedInTimestampOrder() {
        int[] order = {0, 2, 1, 3, 5, 4, 6, 7};
        for (int k = 0; k < order.length; k++) {
            int n = order[k];
            offer(packet(n, 100 + n, 1000 + n * 160L, 7, false), k * 20 * MS);
        }
        playout.close();
        for (int n = 0; n < 8; n++) {
            assertPacketAt(n, n * 160L);
        }
        StreamStats s = playout.stats();
        assertEquals(8, s.received());
        assertEquals(2, s.reordered());
        assertEquals(0, s.lost() + s.late() + s.duplicated());
    }

    @Test
    void duplicatesAreDroppedAndLatePacketsCounted() {
        for (int n = 0; n < 20; n++) {
            if (n == 5) {
                continue; // arrives 200 ms late, after its slot (window 120 ms)
            }
            offer(packet(n, n, n * 160L, 7, false), n * 20 * MS);
            if (n == 8) {
                offer(packet(n, n, n * 160L, 7, false), n * 20 * MS + MS); // duplicate
            }
        }
        offer(packet(5, 5, 5 * 160L, 7, false), 300 * MS);
        playout.close();
        StreamStats s = playout.stats();
        assertEquals(1, s.duplicated());
        assertEquals(1, s.late());
        assertEquals(19, s.received());
        assertEquals(0, s.lost(), "a late packet was received, not lost");
        assertEquals(20, s.concealedMillis(), "its slot was concealed");
        assertEquals(20 * 160, sink.end);
    }

    @Test
    void lossIsConcealedAndKeepsTheClock() {
        for (int n = 0; n < 50; n++) {
            if (n % 10 == 3) {
                continue;
            }
            offer(packet(n, n, n * 160L, 7, false), n * 20 * MS);
        }
        playout.close();
        assertEquals(50 * 160, sink.end);
        assertPacketAt(49, 49 * 160);
        StreamStats s = playout.stats();
        assertEquals(5, s.lost());
        assertEquals(100, s.concealedMillis());
    }

    @Test
    void sequenceAndTimestampWrapAroundWithoutAGlitch() {
        for (int n = 0; n < 100; n++) {
            offer(packet(n, 65_500 + n, 0xFFFF_F000L + n * 160L, 7, false), n * 20 * MS);
        }
        playout.close();
        assertEquals(100 * 160, sink.end);
        for (int n = 0; n < 100; n++) {
            assertPacketAt(n, n * 160L);
        }
        assertEquals(0, playout.stats().lost() + playout.stats().late());
        assertTrue(sink.gaps.isEmpty());
    }

    @Test
    void ssrcChangeAndTimestampJumpResynchroniseOnTheArrivalClock() {
        int n = 0;
        for (; n < 50; n++) {
            offer(packet(n, n, n * 160L, 7, false), n * 20 * MS);
        }
        for (; n < 100; n++) { // new SSRC, unrelated sequence and timestamp
            offer(packet(n, 40_000 + n, 3_000_000_000L + n * 160L, 8, true), n * 20 * MS);
        }
        for (; n < 150; n++) { // same SSRC, timestamp jumps 10 s ahead of the arrival clock
            offer(packet(n, 40_000 + n, 3_000_080_000L + n * 160L, 8, false), n * 20 * MS);
        }
        playout.close();
        assertEquals(150 * 160, sink.end, "output follows real time");
        for (int k = 0; k < 150; k++) {
            assertPacketAt(k, k * 160L);
        }
        assertEquals(0, playout.stats().lost() + playout.stats().late());
    }

    @Test
    void silenceBetweenTalkspurtsIsNotLoss() {
        for (int n = 0; n < 10; n++) {
            offer(packet(n, n, n * 160L, 7, false), n * 20 * MS);
        }
        // 500 ms of silence suppression: next sequence number, timestamp and arrival 500 ms later, marker set
        for (int n = 10; n < 20; n++) {
            offer(packet(n, n, (n + 25) * 160L, 7, n == 10), (n + 25) * 20 * MS);
        }
        playout.close();
        assertPacketAt(19, 44 * 160);
        StreamStats s = playout.stats();
        assertEquals(0, s.lost());
        assertEquals(0, s.concealedMillis());
    }

    @Test
    void markerBitEndsTheLossWhereTheNewTalkspurtBegins() {
        for (int n = 0; n < 10; n++) {
            offer(packet(n, n, n * 160L, 7, false), n * 20 * MS);
        }
        // packet 10 (the last of the talkspurt) is lost, then 480 ms of silence, then a talkspurt (marker)
        for (int n = 11; n < 20; n++) {
            offer(packet(n, n, (n + 24) * 160L, 7, n == 11), (n + 24) * 20 * MS);
        }
        playout.close();
        assertPacketAt(11, 35 * 160);
        StreamStats s = playout.stats();
        assertEquals(1, s.lost());
        assertEquals(20, s.concealedMillis(), "one packet's worth concealed, the rest is silence");
    }

    @Test
    void withoutArrivalTimesPacketsArePlayedInOrderAndMemoryStaysBounded() {
        for (int n = 0; n < 20_000; n++) {
            offer(packet(n, n, n * 160L, 7, false), 0); // a capture that stamps nothing
        }
        playout.close();
        assertEquals(20_000 * 160, sink.end);
        assertPacketAt(19_999, 19_999 * 160L);
        assertEquals(0, playout.stats().lost() + playout.stats().late());
    }

    @Test
    void dtmfBecomesOneEventWithStartAndDurationNotAudio() {
        int seq = 0;
        for (int n = 0; n < 30; n++) {
            offer(packet(n, seq++, n * 160L, 7, false), n * 20 * MS);
            if (n >= 10 && n < 16) { // digit 5 from packet 10 on, 3 updates, then the end packet three times
                boolean end = n >= 13;
                int duration = Math.min(n - 9, 4) * 160;
                byte[] ev = {5, (byte) ((end ? 0x80 : 0) | 10), (byte) (duration >> 8), (byte) duration};
                byte[] p = TestMedia.rtp(101, n == 10, seq++, 10 * 160L, 7, ev, 0, 4);
                offer(p, n * 20 * MS + MS);
            }
        }
        playout.close();
        assertEquals(List.of(new DtmfEvent(0, '5', 1600, 640, 10)), sink.dtmf);
        assertEquals(30 * 160, sink.end);
        assertEquals(0, playout.stats().lost());
    }

    @Test
    void rtcpIsCountedAndKeptOutOfTheAudio() {
        offer(packet(0, 0, 0, 7, false), 0);
        byte[] sr = new byte[28 + 8];
        sr[0] = (byte) 0x80;
        sr[1] = (byte) 200;
        sr[3] = 6; // length 6 words + 1
        sr[7] = 7; // SSRC
        sr[11] = 1; // NTP seconds
        sr[19] = 0x10; // RTP timestamp
        sr[23] = 42; // packet count
        sr[27] = 99; // octet count
        sr[28] = (byte) 0x81; // a following RR (compound packet)
        sr[29] = (byte) 201;
        sr[31] = 1;
        offer(sr, MS);
        playout.close();
        RtcpStats r = playout.rtcp();
        assertEquals(1, r.packets());
        assertEquals(1, r.senderReports());
        assertEquals(7, r.lastSenderSsrc());
        assertEquals(1L << 32, r.lastNtpTimestamp());
        assertEquals(0x10, r.lastRtpTimestamp());
        assertEquals(42, r.senderPacketCount());
        assertEquals(99, r.senderOctetCount());
        assertEquals(160, sink.end);
        assertEquals(0, playout.stats().malformed());
    }

    @Test
    void malformedPacketsAreCountedNamedAndDropped() {
        byte[] good = packet(0, 0, 0, 7, false);
        offer(good, 0);
        byte[] v1 = good.clone();
        v1[0] = 0x40;
        offer(v1, MS);
        assertTrue(playout.lastError().contains("version 1"), playout.lastError());
        offer(new byte[5], MS);
        assertTrue(playout.lastError().contains("truncated"), playout.lastError());
        byte[] csrc = good.clone();
        csrc[0] = (byte) 0x8F;
        offer(csrc, 0, 20);
        assertTrue(playout.lastError().contains("CSRC"), playout.lastError());
        byte[] ext = packet(1, 1, 160, 7, false);
        ext[0] = (byte) 0x90;
        ext[14] = (byte) 0xFF;
        offer(ext, 2 * MS);
        assertTrue(playout.lastError().contains("extension"), playout.lastError());
        byte[] pad = packet(1, 1, 160, 7, false);
        pad[0] = (byte) 0xA0;
        pad[pad.length - 1] = (byte) 200;
        offer(pad, 2 * MS);
        assertTrue(playout.lastError().contains("padding"), playout.lastError());
        byte[] pt = packet(1, 1, 160, 7, false);
        pt[1] = 96;
        offer(pt, 2 * MS);
        assertTrue(playout.lastError().contains("payload type 96"), playout.lastError());
        playout.offer(null, 0, 10, 0);
        playout.offer(good, 10, 20, 0);
        offer(packet(1, 1, 160, 7, false), 20 * MS);
        playout.close();
        assertEquals(8, playout.stats().malformed());
        assertEquals(2, playout.stats().received());
        assertEquals(320, sink.end);
        assertTrue(sink.gaps.stream().noneMatch(g -> g.reason() == GapMarker.Reason.RESYNC));
    }

    private void offer(byte[] p, int offset, int length) {
        playout.offer(p, offset, length, 0);
    }

    @Test
    void paddingExtensionAndCsrcsAreSkipped() {
        byte[] payload = new byte[160];
        java.util.Arrays.fill(payload, (byte) 0x20);
        byte[] p = new byte[12 + 8 + 8 + 160 + 4];
        p[0] = (byte) (0x80 | 0x20 | 0x10 | 2); // padding, extension, 2 CSRCs
        p[1] = 0;
        p[22] = 0;
        p[23] = 1; // extension of one word
        System.arraycopy(payload, 0, p, 28, 160);
        p[p.length - 1] = 4;
        offer(p, 0);
        playout.close();
        assertEquals(160, sink.end);
        assertEquals(G711.ULAW[0x20], sink.pcm[0]);
        assertEquals(G711.ULAW[0x20], sink.pcm[159]);
        assertEquals(0, playout.stats().malformed());
    }

    @Test
    void comfortNoiseIsSilenceNotLoss() {
        for (int n = 0; n < 5; n++) {
            offer(packet(n, n, n * 160L, 7, false), n * 20 * MS);
        }
        byte[] cn = TestMedia.rtp(13, false, 5, 5 * 160L, 7, new byte[] {60}, 0, 1);
        offer(cn, 100 * MS);
        for (int n = 6; n < 10; n++) {
            offer(packet(n, n, (n + 20) * 160L, 7, n == 6), (n + 20) * 20 * MS);
        }
        playout.close();
        assertEquals(0, playout.stats().lost());
        assertEquals(0, playout.stats().concealedMillis());
        assertPacketAt(9, 29 * 160);
        assertEquals(0, sink.pcm[5 * 160 + 1]);
    }
}
