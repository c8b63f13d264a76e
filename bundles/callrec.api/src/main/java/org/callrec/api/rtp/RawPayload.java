package org.callrec.api.rtp;

import java.util.Objects;

/**
 * One codec payload kept raw (because its decoder was unavailable when the call was recorded),
 * with its place on the recording's clock. Two lengths no codec payload has mark a
 * resynchronisation, so that a later decode reproduces the live one exactly:
 * {@link #RESYNC_NEW_ENCODER} (SSRC change: the decoder restarts) and {@link #RESYNC_KEEP_DECODER}
 * (timestamp jump: the gap before the next payload is not concealed).
 *
 * @param samplePosition where its audio belongs, in samples since the recording started
 * @param payload the payload bytes, exactly as received
 */
public record RawPayload(long samplePosition, byte[] payload) {

    /** Marker payload (0 bytes): a new encoder (SSRC) starts here. */
    public static final byte[] RESYNC_NEW_ENCODER = new byte[0];
    /** Marker payload (1 byte): the stream resynchronised here (timestamp jump), same encoder. */
    public static final byte[] RESYNC_KEEP_DECODER = new byte[1];

    /** Validates the payload. */
    public RawPayload {
        if (samplePosition < 0) {
            throw new IllegalArgumentException("raw payload position must be >= 0: " + samplePosition);
        }
        Objects.requireNonNull(payload, "payload");
    }
}
