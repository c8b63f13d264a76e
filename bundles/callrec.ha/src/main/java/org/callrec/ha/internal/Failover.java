package org.callrec.ha.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.callrec.api.ha.CallLease;
import org.callrec.api.ha.HaEvent;
import org.callrec.api.ha.HaRole;
import org.callrec.api.ha.HaState;

/**
 * Whether this node records, and which calls it holds. A primary or standalone node is always
 * active. A secondary is passive until the heartbeats stop ({@link #primaryLost}), then active;
 * when they return ({@link #primaryHeard}) it takes no new calls but keeps every call it holds
 * until that call ends, and stands down with the last one: failback never cuts a call.
 * Thread-safe; events are handed to the sink in transition order, under the lock, so the sink must
 * not block.
 */
final class Failover {

    enum Phase {
        /** Secondary, primary alive: records nothing. */
        PASSIVE,
        /** Records and takes new calls. */
        ACTIVE,
        /** Secondary whose primary is back: finishes the calls it holds, takes no new ones. */
        FINISHING
    }

    private final Clock clock;
    private final Consumer<HaEvent> events;
    private String nodeId;
    private HaRole role;
    private LongSupplier rejectedHeartbeats;
    private final Map<String, Lease> leases = new LinkedHashMap<>();
    private final AtomicLong refusedAttempts = new AtomicLong();
    private Phase phase;
    private Instant since;
    private String peer;
    private Instant lastValidHeartbeat;
    private String lastRefusal;

    Failover(String nodeId, HaRole role, String peer, Clock clock, LongSupplier rejectedHeartbeats,
            Consumer<HaEvent> events) {
        this.nodeId = nodeId;
        this.role = role;
        this.peer = peer;
        this.clock = clock;
        this.rejectedHeartbeats = rejectedHeartbeats;
        this.events = events;
        // a secondary waits one timeout for the primary before it records anything
        this.phase = role == HaRole.SECONDARY ? Phase.PASSIVE : Phase.ACTIVE;
        this.since = clock.instant();
    }

    synchronized void started(String reason) {
        emit(HaEvent.Kind.STARTED, reason);
    }

    /**
     * New configuration, same calls: the leases stay, so reconfiguring never drops a call in
     * progress. A secondary keeps its phase (an active one stays active until it hears the primary,
     * so no call is missed meanwhile); a primary or standalone node is active.
     */
    synchronized void reconfigure(String newNodeId, HaRole newRole, String newPeer, LongSupplier rejected,
            String reason) {
        nodeId = newNodeId;
        role = newRole;
        peer = newPeer;
        rejectedHeartbeats = rejected;
        lastValidHeartbeat = null;
        if (newRole != HaRole.SECONDARY) {
            setPhase(Phase.ACTIVE);
        }
        emit(HaEvent.Kind.STARTED, reason);
    }

    /** A valid heartbeat arrived from the primary at {@code from}. */
    synchronized void primaryHeard(String from) {
        lastValidHeartbeat = clock.instant();
        peer = from;
        if (phase != Phase.ACTIVE || role != HaRole.SECONDARY) {
            return;
        }
        if (leases.isEmpty()) {
            setPhase(Phase.PASSIVE);
            emit(HaEvent.Kind.STOOD_DOWN, "primary " + from + " is back; no calls in progress, standing down");
        } else {
            setPhase(Phase.FINISHING);
            emit(HaEvent.Kind.PRIMARY_RETURNED, "primary " + from + " is back; finishing " + leases.size()
                    + " call(s) in progress, then standing down; new calls are the primary's");
        }
    }

    /** No valid heartbeat within the timeout. */
    synchronized void primaryLost(String reason) {
        if (role != HaRole.SECONDARY || phase == Phase.ACTIVE) {
            return;
        }
        setPhase(Phase.ACTIVE);
        emit(HaEvent.Kind.TOOK_OVER, reason);
    }

    synchronized Optional<CallLease> claim(String callId) {
        if (phase != Phase.ACTIVE || leases.containsKey(callId)) {
            return Optional.empty();
        }
        Lease lease = new Lease(callId);
        leases.put(callId, lease);
        return Optional.of(lease);
    }

    private synchronized void released(Lease lease, String refusal) {
        if (leases.remove(lease.callId) != lease) {
            return;
        }
        if (refusal != null) {
            refusedAttempts.incrementAndGet();
            lastRefusal = lease.callId + ": " + refusal;
        }
        if (phase == Phase.FINISHING && leases.isEmpty()) {
            setPhase(Phase.PASSIVE);
            emit(HaEvent.Kind.STOOD_DOWN, "last call taken over (" + lease.callId + ") ended; standing down");
        }
    }

    synchronized HaState state() {
        return new HaState(nodeId, role, phase != Phase.PASSIVE, since, peer, lastValidHeartbeat,
                rejectedHeartbeats.getAsLong());
    }

    synchronized Phase phase() {
        return phase;
    }

    synchronized int callsInProgress() {
        return leases.size();
    }

    synchronized List<String> callIds() {
        return new ArrayList<>(leases.keySet());
    }

    long refusedAttempts() {
        return refusedAttempts.get();
    }

    synchronized String lastRefusal() {
        return lastRefusal;
    }

    private void setPhase(Phase next) {
        boolean wasActive = phase != Phase.PASSIVE;
        phase = next;
        if (wasActive != (next != Phase.PASSIVE)) {
            since = clock.instant();
        }
    }

    private void emit(HaEvent.Kind kind, String reason) {
        events.accept(new HaEvent(kind, state(), reason, leases.size()));
    }

    private final class Lease implements CallLease {
        private final String callId;
        private final AtomicBoolean open = new AtomicBoolean(true);

        Lease(String callId) {
            this.callId = callId;
        }

        @Override
        public String callId() {
            return callId;
        }

        @Override
        public void release() {
            if (open.compareAndSet(true, false)) {
                released(this, null);
            }
        }

        @Override
        public void releaseRefused(String reason) {
            if (open.compareAndSet(true, false)) {
                released(this, reason == null ? "refused" : reason);
            }
        }
    }
}
