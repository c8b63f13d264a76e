package org.callrec.ha.internal;

import org.callrec.api.ha.HaRole;

/**
 * One heartbeat's authenticated content.
 *
 * @param nodeId sender's node id
 * @param role sender's role
 * @param epoch sender's run: increases with every start of the sender, so a restart resets the sequence
 * @param sequence increases by one per heartbeat within an epoch
 * @param timestampMs sender's wall clock at sending, ms since 1970
 */
record Heartbeat(String nodeId, HaRole role, long epoch, long sequence, long timestampMs) {
}
