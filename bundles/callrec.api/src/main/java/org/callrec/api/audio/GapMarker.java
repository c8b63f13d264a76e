package org.callrec.api.audio;

import java.util.Objects;

/**
 * A stretch of a recording with no audio, written as silence and listed in the catalog.
 *
 * @param channel channel index (0 = the recorded user's side, 1 = the other party)
 * @param startSample first silent sample, counted from the start of the recording
 * @param samples length of the gap in samples (8000 per second)
 * @param reason why there is no audio
 */
public record GapMarker(int channel, long startSample, long samples, Reason reason) {

    /** Why a gap exists. */
    public enum Reason {
        /** Packets were lost and not concealed. */
        LOSS,
        /** The call was on hold. */
        HOLD,
        /** The Route Point audio dropped and was re-established. */
        ROUTE_POINT_RECONNECT,
        /** The capture could not keep up or the NIC dropped packets. */
        CAPTURE_DROP,
        /** The stream resynchronised after an SSRC change or a timestamp jump. */
        RESYNC
    }

    /** Validates the marker. */
    public GapMarker {
        if (channel < 0) {
            throw new IllegalArgumentException("channel must be >= 0: " + channel);
        }
        if (startSample < 0 || samples < 0) {
            throw new IllegalArgumentException("gap start and length must be >= 0: " + startSample + ", " + samples);
        }
        Objects.requireNonNull(reason, "reason");
    }

    /** @return the gap's length in milliseconds */
    public long durationMillis() {
        return samples / AudioFormat.SAMPLES_PER_MS;
    }
}
