package org.callrec.ha.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.callrec.api.ha.HaRole;

/**
 * Heartbeat wire format (one UDP datagram, big-endian), authenticated with HMAC-SHA256 (RFC 2104,
 * FIPS 180-4) over every byte before the MAC:
 *
 * <pre>
 * "CRHB" | version=1 (1 byte) | role ordinal (1) | nodeId length n (1) | nodeId UTF-8 (n, 1-64)
 *        | epoch (8) | sequence (8) | timestamp ms (8) | HMAC-SHA256 (32)
 * </pre>
 *
 * Not thread-safe (one {@link Mac} per instance): each sender and receiver owns one.
 */
final class HeartbeatCodec {

    static final int MAC_BYTES = 32;
    static final int MAX_PACKET = 4 + 1 + 1 + 1 + HaSettings.MAX_NODE_ID_BYTES + 3 * 8 + MAC_BYTES;
    private static final byte[] MAGIC = {'C', 'R', 'H', 'B'};
    private static final byte VERSION = 1;
    private static final int MIN_PACKET = 4 + 1 + 1 + 1 + 1 + 3 * 8 + MAC_BYTES;
    /**
     * Key used when no secret is configured: the format stays the same, but anyone can forge it,
     * which is why running without a secret is warned about loudly.
     */
    private static final byte[] NO_SECRET_KEY = "callrec-ha-no-secret-configured".getBytes(StandardCharsets.US_ASCII);

    private final Mac mac;

    HeartbeatCodec(byte[] secret) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.length == 0 ? NO_SECRET_KEY : secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            // every Java 17 runtime must provide HmacSHA256
            throw new IllegalStateException("HmacSHA256 not available", e);
        }
    }

    byte[] encode(Heartbeat hb) {
        byte[] id = hb.nodeId().getBytes(StandardCharsets.UTF_8);
        if (id.length == 0 || id.length > HaSettings.MAX_NODE_ID_BYTES) {
            throw new IllegalArgumentException("node id must be 1-64 bytes: " + hb.nodeId());
        }
        ByteBuffer buf = ByteBuffer.allocate(4 + 3 + id.length + 24 + MAC_BYTES);
        buf.put(MAGIC).put(VERSION).put((byte) hb.role().ordinal()).put((byte) id.length).put(id)
                .putLong(hb.epoch()).putLong(hb.sequence()).putLong(hb.timestampMs());
        mac.update(buf.array(), 0, buf.position());
        buf.put(mac.doFinal());
        return buf.array();
    }

    /**
     * Checks the MAC, then parses.
     *
     * @return the heartbeat, or why it is rejected
     */
    Decoded decode(byte[] data, int offset, int length) {
        if (length < MIN_PACKET || length > MAX_PACKET) {
            return new Decoded(null, HeartbeatRejection.MALFORMED);
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (data[offset + i] != MAGIC[i]) {
                return new Decoded(null, HeartbeatRejection.MALFORMED);
            }
        }
        int signed = length - MAC_BYTES;
        mac.update(data, offset, signed);
        byte[] expected = mac.doFinal();
        byte[] received = new byte[MAC_BYTES];
        System.arraycopy(data, offset + signed, received, 0, MAC_BYTES);
        // constant-time: a timing difference must not let a forger find the MAC byte by byte
        if (!MessageDigest.isEqual(expected, received)) {
            return new Decoded(null, HeartbeatRejection.BAD_MAC);
        }
        ByteBuffer buf = ByteBuffer.wrap(data, offset + MAGIC.length, signed - MAGIC.length);
        byte version = buf.get();
        int role = buf.get();
        int idLength = buf.get() & 0xff;
        if (version != VERSION || role < 0 || role >= HaRole.values().length || idLength == 0
                || buf.remaining() != idLength + 24) {
            return new Decoded(null, HeartbeatRejection.MALFORMED);
        }
        byte[] id = new byte[idLength];
        buf.get(id);
        return new Decoded(new Heartbeat(new String(id, StandardCharsets.UTF_8), HaRole.values()[role],
                buf.getLong(), buf.getLong(), buf.getLong()), null);
    }

    /** Exactly one of the two is set. */
    record Decoded(Heartbeat heartbeat, HeartbeatRejection rejection) {
    }
}
