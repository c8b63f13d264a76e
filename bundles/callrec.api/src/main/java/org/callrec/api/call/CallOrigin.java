package org.callrec.api.call;

/** Whether a call stays inside the PBX or reaches a trunk. */
public enum CallOrigin {
    /** Between two extensions of the PBX. */
    INTERNAL,
    /** With a party outside the PBX (trunk). */
    EXTERNAL,
    /** The source could not tell. */
    UNKNOWN
}
