package org.callrec.api.ha;

import java.time.Instant;

/**
 * This node's HA state.
 *
 * @param nodeId this node's id
 * @param role configured role
 * @param active whether this node records (places Route Point calls in TAPI/Wave)
 * @param since when {@code active} last changed
 * @param peer the peer's address, or null
 * @param lastValidHeartbeat when the last valid heartbeat was received, or null
 * @param rejectedHeartbeats heartbeats rejected (bad MAC, replay, stale)
 */
public record HaState(String nodeId, HaRole role, boolean active, Instant since, String peer,
        Instant lastValidHeartbeat, long rejectedHeartbeats) {
}
