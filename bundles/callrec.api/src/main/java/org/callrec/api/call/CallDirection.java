package org.callrec.api.call;

/** Direction of a call as seen from the monitored extension. */
public enum CallDirection {
    /** The extension received the call. */
    INBOUND,
    /** The extension placed the call. */
    OUTBOUND,
    /** The source could not tell. */
    UNKNOWN
}
