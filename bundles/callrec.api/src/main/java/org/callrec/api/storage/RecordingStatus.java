package org.callrec.api.storage;

/** Life-cycle status of a recording in the catalog. */
public enum RecordingStatus {
    /** Being written now. */
    RECORDING,
    /** Closed normally. */
    COMPLETE,
    /** Left open by a crash and repaired on the next start. */
    INTERRUPTED,
    /** Audio kept as raw codec payload; decoded when the codec becomes available. */
    DECODE_PENDING,
    /** Could not be recorded or written; the reason says why. */
    FAILED,
    /** Deliberately not recorded (e.g. internal call in TAPI/Wave, capacity reached); the reason says why. */
    SKIPPED;

    /** @return the catalog's spelling, e.g. {@code decode-pending} */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
