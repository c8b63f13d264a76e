package org.callrec.api.recorder;

/** A user's live telephone state, as the Real-Time Activity view shows it. */
public enum UserState {
    /** No call. */
    IDLE,
    /** A call is ringing or being dialled. */
    RINGING,
    /** In a connected call. */
    ON_PHONE,
    /** The call is on hold. */
    ON_HOLD
}
