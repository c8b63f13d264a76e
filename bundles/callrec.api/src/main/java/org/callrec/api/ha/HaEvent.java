package org.callrec.api.ha;

import java.util.Objects;

/**
 * A change of this node's HA state, announced to every {@link HaListener}.
 *
 * @param kind what happened
 * @param state the state after the change
 * @param reason one line for the log and the console
 * @param callsInProgress calls this node holds leases for at the time of the event
 */
public record HaEvent(Kind kind, HaState state, String reason, int callsInProgress) {

    /** What happened. */
    public enum Kind {
        /** The node started (or was reconfigured) in the given state. */
        STARTED,
        /** The secondary heard no valid heartbeat within one interval and now records. */
        TOOK_OVER,
        /** The primary's heartbeats are back: the secondary takes no new calls and finishes the ones it holds. */
        PRIMARY_RETURNED,
        /** The secondary holds no more calls and is passive again. */
        STOOD_DOWN
    }

    /** Validates the event. */
    public HaEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
    }
}
