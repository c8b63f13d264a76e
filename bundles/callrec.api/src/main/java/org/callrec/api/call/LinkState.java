package org.callrec.api.call;

import java.time.Instant;
import java.util.Objects;

/**
 * State of a call-control source's link to the PBX.
 *
 * @param status up, reconnecting or down
 * @param since when the link entered this status
 * @param lastError the last error seen, or null
 */
public record LinkState(Status status, Instant since, String lastError) {

    /** Link status. */
    public enum Status {
        /** Events flow. */
        UP,
        /** The link was lost and is being re-established (with backoff). */
        RECONNECTING,
        /** The link is down and not being re-established. */
        DOWN
    }

    /** Validates the state. */
    public LinkState {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(since, "since");
    }
}
