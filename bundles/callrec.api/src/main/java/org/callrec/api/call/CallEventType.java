package org.callrec.api.call;

/** What happened to a call, as seen on one monitored line. */
public enum CallEventType {
    /** An inbound call is ringing at the extension. */
    OFFERING,
    /** The call was accepted (ringing acknowledged) but not yet answered. */
    ACCEPTED,
    /** The call was placed from the extension and is being set up (dial tone, proceeding, ringback). */
    DIALING,
    /** Both parties are connected: audio flows. */
    CONNECTED,
    /** The extension put the call on hold. */
    ON_HOLD,
    /** The held call was taken off hold. */
    RESUMED,
    /** The call became part of a conference; related call ids name the other legs. */
    CONFERENCED,
    /** The call was transferred; related call ids name the call it continues as. */
    TRANSFERRED,
    /** The call ended or the far end hung up. */
    DISCONNECTED,
    /** The call no longer exists on this line. */
    IDLE
}
