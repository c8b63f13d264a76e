package org.callrec.capture.mirror.internal.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.callrec.capture.mirror.internal.packet.FrameDecoder;
import org.callrec.capture.mirror.internal.packet.LinkType;
import org.callrec.capture.mirror.internal.packet.TestFrames;
import org.junit.jupiter.api.Test;

class RtpCorrelatorTest {

    private static final long MS = 1_000_000L;
    private static final long T0 = 1_700_000_000_000L * MS;
    private static final String PHONE = "10.0.0.51";
    private static final String GATEWAY = "10.0.0.1";

    private final RtpCorrelator correlator = new RtpCorrelator(2000 * MS, 10_000);
    private final FrameDecoder decoder = new FrameDecoder(correlator, 5000 * MS, 64);

    /** What one call received: channel and RTP sequence number. */
    private record Got(int channel, int seq) {
    }

    private static byte[] rtp(int seq) {
        ByteBuffer b = ByteBuffer.allocate(12 + 160);
        b.put((byte) 0x80).put((byte) 0).putShort((short) seq).putInt(seq * 160).putInt(0x1234);
        return b.array();
    }

    private void send(String from, int fromPort, String to, int toPort, byte[] payload, long ts) {
        byte[] s = TestFrames.ip(from);
        byte[] d = TestFrames.ip(to);
        byte[] frame = TestFrames.ethernet(TestFrames.ipv4(s, d, 17, 1, 0, false, TestFrames.udp(s, d, fromPort, toPort, payload)));
        decoder.frame(LinkType.ETHERNET, frame, 0, frame.length, frame.length, ts);
    }

    /** One recorded side: what it received, and its receiver to unbind with. */
    private record Side(List<Got> got, StreamReceiver receiver) {
    }

    private Side side(String callId, String phone, int userPort, long connectedAt) {
        List<Got> got = new ArrayList<>();
        StreamReceiver r = (channel, buf, off, len, ts) -> got.add(new Got(channel,
                (buf[off + 2] & 0xFF) << 8 | (buf[off + 3] & 0xFF)));
        correlator.bind(new CallBinding(callId, TestFrames.ip(phone), userPort, connectedAt, r));
        correlator.applyPending();
        return new Side(got, r);
    }

    private List<Got> bind(String callId, int userPort, long connectedAt) {
        Side s = side(callId, PHONE, userPort, connectedAt);
        bound.put(callId, s.receiver());
        return s.got();
    }

    private final java.util.Map<String, StreamReceiver> bound = new java.util.HashMap<>();

    private void unbind(String callId) {
        correlator.unbind(bound.remove(callId));
        correlator.applyPending();
    }

    @Test
    void packetsFromThePhoneAreTheUserChannelAndToItTheOtherParty() {
        List<Got> got = bind("c1", 0, T0);
        send(PHONE, 20000, GATEWAY, 30000, rtp(1), T0 + 20 * MS);
        send(GATEWAY, 30000, PHONE, 20000, rtp(2), T0 + 21 * MS);
        send("10.0.0.99", 20000, GATEWAY, 30000, rtp(3), T0 + 22 * MS); // another phone
        assertEquals(List.of(new Got(0, 1), new Got(1, 2)), got);
    }

    @Test
    void streamsThatStartedBeforeConnectedAreReplayedFromTheLookBack() {
        correlator.watch(List.of(TestFrames.ip(PHONE)));
        // 3 s of early media, 20 ms apart, before the connected event
        for (int i = 0; i < 150; i++) {
            send(PHONE, 20000, GATEWAY, 30000, rtp(i), T0 - 3000 * MS + i * 20 * MS);
        }
        List<Got> got = bind("c1", 0, T0);
        send(PHONE, 20000, GATEWAY, 30000, rtp(150), T0 + 10 * MS);
        // everything from T0 - 2 s on: packets 50..149 replayed, then 150 live, in order
        assertEquals(101, got.size());
        assertEquals(50, got.get(0).seq());
        for (int i = 1; i < got.size(); i++) {
            assertEquals(got.get(i - 1).seq() + 1, got.get(i).seq());
        }
        assertEquals(100, correlator.counters()[2]);
    }

    @Test
    void unwatchedPhonesAreNotKeptForLookBack() {
        correlator.watch(List.of(TestFrames.ip("10.0.0.77")));
        send(PHONE, 20000, GATEWAY, 30000, rtp(1), T0 - 100 * MS);
        assertTrue(bind("c1", 0, T0).isEmpty());
    }

    @Test
    void aKnownSdpPortNarrowsTheMatchToThatStream() {
        List<Got> got = bind("c1", 20000, T0);
        send(PHONE, 20000, GATEWAY, 30000, rtp(1), T0 + MS);
        send(PHONE, 22000, GATEWAY, 32000, rtp(2), T0 + MS); // the same phone's other call
        send(GATEWAY, 30000, PHONE, 20000, rtp(3), T0 + MS);
        assertEquals(List.of(new Got(0, 1), new Got(1, 3)), got);
    }

    @Test
    void sipAndRtcpAreNotTakenForRtp() {
        List<Got> got = bind("c1", 0, T0);
        send(PHONE, 5060, GATEWAY, 5060, "INVITE sip:2001@pbx SIP/2.0\r\n\r\n".getBytes(), T0 + MS);
        byte[] rtcp = rtp(9);
        rtcp[1] = (byte) 200; // sender report
        send(PHONE, 20001, GATEWAY, 30001, rtcp, T0 + MS);
        assertTrue(got.isEmpty());
    }

    @Test
    void afterUnbindNothingMoreIsDelivered() {
        List<Got> got = bind("c1", 0, T0);
        send(PHONE, 20000, GATEWAY, 30000, rtp(1), T0 + MS);
        unbind("c1");
        send(PHONE, 20000, GATEWAY, 30000, rtp(2), T0 + 2 * MS);
        assertEquals(List.of(new Got(0, 1)), got);
    }

    @Test
    void theNextCallOnThePhoneDoesNotReplayThePreviousCallsAudio() {
        correlator.watch(List.of(TestFrames.ip(PHONE)));
        List<Got> first = bind("c1", 0, T0);
        for (int i = 0; i < 50; i++) {
            send(PHONE, 20000, GATEWAY, 30000, rtp(i), T0 + i * 20 * MS);
        }
        unbind("c1");
        // the next call connects 0.5 s later, well within the look-back window of the first's packets
        send(PHONE, 20000, GATEWAY, 30000, rtp(100), T0 + 1200 * MS); // early media of the next call
        List<Got> second = bind("c2", 0, T0 + 1500 * MS);
        send(PHONE, 20000, GATEWAY, 30000, rtp(101), T0 + 1520 * MS);
        assertEquals(50, first.size());
        assertEquals(List.of(new Got(0, 100), new Got(0, 101)), second);
    }

    @Test
    void unbindingOneCallOfAPhoneKeepsItsOtherCalls() {
        List<Got> first = bind("c1", 20000, T0);
        List<Got> second = bind("c2", 22000, T0);
        send(PHONE, 20000, GATEWAY, 30000, rtp(1), T0 + MS);
        send(PHONE, 22000, GATEWAY, 32000, rtp(2), T0 + MS);
        unbind("c2");
        send(PHONE, 20000, GATEWAY, 30000, rtp(3), T0 + 2 * MS);
        send(PHONE, 22000, GATEWAY, 32000, rtp(4), T0 + 2 * MS);
        assertEquals(List.of(new Got(0, 1), new Got(0, 3)), first);
        assertEquals(List.of(new Got(0, 2)), second);
    }

    @Test
    void anInternalCallBetweenTwoRecordedUsersKeepsTheOtherSideWhenOneHangsUp() {
        // the PBX shows one call id on both lines; each user's phone is its own recorded side
        Side alice = side("c7", PHONE, 0, T0);
        Side bob = side("c7", "10.0.0.52", 0, T0);
        send(PHONE, 20000, "10.0.0.52", 20002, rtp(1), T0 + MS);
        correlator.unbind(bob.receiver());
        correlator.applyPending();
        send(PHONE, 20000, "10.0.0.52", 20002, rtp(2), T0 + 2 * MS);
        send("10.0.0.52", 20002, PHONE, 20000, rtp(3), T0 + 3 * MS);
        assertEquals(List.of(new Got(0, 1), new Got(0, 2), new Got(1, 3)), alice.got(),
                "Alice's side keeps both directions after Bob's side stopped");
        assertEquals(List.of(new Got(1, 1)), bob.got());
    }

    @Test
    void aLookBackShorterThanTwoSecondsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RtpCorrelator(1999 * MS, 10));
    }
}
