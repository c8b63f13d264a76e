package org.callrec.api.rtp;

import java.util.Objects;

/**
 * One codec payload kept raw (because its decoder was unavailable when the call was recorded),
 * with its place on the recording's clock. A payload of length 0 marks a resynchronisation (SSRC
 * change or timestamp jump): the decoder restarts there.
 *
 * @param samplePosition where its audio belongs, in samples since the recording started
 * @param payload the payload bytes, exactly as received
 */
public record RawPayload(long samplePosition, byte[] payload) {

    /** Validates the payload. */
    public RawPayload {
        if (samplePosition < 0) {
            throw new IllegalArgumentException("raw payload position must be >= 0: " + samplePosition);
        }
        Objects.requireNonNull(payload, "payload");
    }
}
