package org.callrec.ha.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import org.callrec.api.ha.HaRole;
import org.junit.jupiter.api.Test;

/** The packet format and the secondary's checks, without sockets. */
class HeartbeatAuthenticationTest {

    private static final byte[] SECRET = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
    private static final long NOW = 1_790_000_000_000L;

    private final HeartbeatCodec codec = new HeartbeatCodec(SECRET);
    private final HeartbeatVerifier verifier = new HeartbeatVerifier("rec-b", 30_000);

    private static Heartbeat hb(long epoch, long seq, long ts) {
        return new Heartbeat("rec-a", HaRole.PRIMARY, epoch, seq, ts);
    }

    private HeartbeatRejection receive(byte[] packet, long now) {
        return verifier.verify(codec.decode(packet, 0, packet.length), now);
    }

    @Test
    void roundTripsEveryField() {
        Heartbeat sent = new Heartbeat("récorder-Ω", HaRole.PRIMARY, 42, 7, NOW);
        byte[] packet = codec.encode(sent);
        assertEquals(4 + 3 + "récorder-Ω".getBytes(StandardCharsets.UTF_8).length + 24 + 32, packet.length);
        assertEquals(sent, codec.decode(packet, 0, packet.length).heartbeat());
    }

    @Test
    void macIsHmacSha256OverTheHeaderAndFields() throws Exception {
        byte[] packet = codec.encode(hb(1, 2, 3));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
        mac.update(packet, 0, packet.length - 32);
        byte[] tail = java.util.Arrays.copyOfRange(packet, packet.length - 32, packet.length);
        assertArrayEquals(mac.doFinal(), tail);
    }

    @Test
    void wrongSecretAndEveryFlippedBitAreBadMac() {
        byte[] forged = new HeartbeatCodec("guessed".getBytes(StandardCharsets.UTF_8)).encode(hb(1, 1, NOW));
        assertEquals(HeartbeatRejection.BAD_MAC, receive(forged, NOW));
        byte[] unsecured = new HeartbeatCodec(new byte[0]).encode(hb(1, 2, NOW));
        assertEquals(HeartbeatRejection.BAD_MAC, receive(unsecured, NOW));
        byte[] good = codec.encode(hb(1, 3, NOW));
        int flips = 0;
        for (int bit = 4 * 8; bit < good.length * 8; bit++) {
            byte[] p = good.clone();
            p[bit / 8] ^= (byte) (1 << (bit % 8));
            assertEquals(HeartbeatRejection.BAD_MAC, receive(p, NOW), "bit " + bit);
            flips++;
        }
        assertEquals(flips + 2, verifier.rejected(HeartbeatRejection.BAD_MAC));
        assertNull(receive(good, NOW), "the untouched packet is still accepted");
    }

    @Test
    void malformedPacketsAreRejectedAndCounted() {
        byte[] good = codec.encode(hb(1, 1, NOW));
        assertEquals(HeartbeatRejection.MALFORMED, receive(new byte[10], NOW));
        assertEquals(HeartbeatRejection.MALFORMED, receive(new byte[HeartbeatCodec.MAX_PACKET + 1], NOW));
        // a cut packet still looks like one, but its MAC no longer matches
        assertEquals(HeartbeatRejection.BAD_MAC, receive(java.util.Arrays.copyOf(good, good.length - 1), NOW));
        byte[] badMagic = good.clone();
        badMagic[0] = 'X';
        assertEquals(HeartbeatRejection.MALFORMED, receive(badMagic, NOW));
        assertEquals(3, verifier.rejected(HeartbeatRejection.MALFORMED));
    }

    @Test
    void replayedAndOldSequencesAreRejected() {
        byte[] first = codec.encode(hb(100, 1, NOW));
        byte[] second = codec.encode(hb(100, 2, NOW));
        assertNull(receive(first, NOW));
        assertNull(receive(second, NOW));
        assertEquals(HeartbeatRejection.REPLAYED, receive(second, NOW + 10), "same packet again");
        assertEquals(HeartbeatRejection.REPLAYED, receive(first, NOW + 10), "older sequence");
        assertEquals(HeartbeatRejection.REPLAYED, receive(codec.encode(hb(99, 50, NOW)), NOW), "older epoch");
        assertNull(receive(codec.encode(hb(101, 1, NOW)), NOW), "a restarted primary starts a new epoch");
        assertEquals(HeartbeatRejection.REPLAYED, receive(second, NOW), "the previous epoch is over");
        assertEquals(4, verifier.rejected(HeartbeatRejection.REPLAYED));
        assertEquals(4, verifier.rejectedTotal());
    }

    @Test
    void timestampsOutsideTheWindowAreRejected() {
        assertEquals(HeartbeatRejection.STALE, receive(codec.encode(hb(1, 1, NOW - 30_001)), NOW));
        assertEquals(HeartbeatRejection.STALE, receive(codec.encode(hb(1, 2, NOW + 30_001)), NOW));
        assertNull(receive(codec.encode(hb(1, 3, NOW - 30_000)), NOW));
        assertEquals(2, verifier.rejected(HeartbeatRejection.STALE));
    }

    @Test
    void onlyAPrimaryOtherThanThisNodeIsHeard() {
        assertEquals(HeartbeatRejection.NOT_FROM_PRIMARY,
                receive(codec.encode(new Heartbeat("rec-c", HaRole.SECONDARY, 1, 1, NOW)), NOW));
        assertEquals(HeartbeatRejection.NOT_FROM_PRIMARY,
                receive(codec.encode(new Heartbeat("rec-b", HaRole.PRIMARY, 1, 2, NOW)), NOW), "own id reflected");
        assertEquals(2, verifier.rejected(HeartbeatRejection.NOT_FROM_PRIMARY));
    }
}
