package org.callrec.api.ha;

/** The configured role of a recording service in an HA pair. */
public enum HaRole {
    /** No HA peer: always active. */
    STANDALONE,
    /** Sends heartbeats; active while up. */
    PRIMARY,
    /** Listens for heartbeats; active when they stop. */
    SECONDARY
}
