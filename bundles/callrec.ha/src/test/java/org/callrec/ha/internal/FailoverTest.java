package org.callrec.ha.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.callrec.api.ha.CallLease;
import org.callrec.api.ha.HaEvent;
import org.callrec.api.ha.HaRole;
import org.junit.jupiter.api.Test;

/** The secondary's state machine and call leases, without sockets or timing. */
class FailoverTest {

    private final List<HaEvent> events = new ArrayList<>();
    private final Failover secondary = new Failover("rec-b", HaRole.SECONDARY, null, Clock.systemUTC(), () -> 0,
            events::add);

    private List<HaEvent.Kind> kinds() {
        return events.stream().map(HaEvent::kind).toList();
    }

    @Test
    void passiveSecondaryClaimsNothing() {
        assertFalse(secondary.state().active());
        assertEquals(Optional.empty(), secondary.claim("c1"));
    }

    @Test
    void failbackKeepsEveryCallUntilItEndsThenStandsDown() {
        secondary.primaryLost("test: primary gone");
        assertTrue(secondary.state().active());
        CallLease c1 = secondary.claim("c1").orElseThrow();
        CallLease c2 = secondary.claim("c2").orElseThrow();
        assertEquals(Optional.empty(), secondary.claim("c1"), "one lease per call");

        secondary.primaryHeard("10.0.0.1:8040");
        assertEquals(Failover.Phase.FINISHING, secondary.phase());
        assertTrue(secondary.state().active(), "still recording the calls it holds");
        assertEquals(Optional.empty(), secondary.claim("c3"), "new calls are the primary's");
        assertEquals(2, secondary.callsInProgress());

        c1.release();
        c1.release(); // idempotent: must not release c2's hold
        assertTrue(secondary.state().active());
        assertEquals(1, secondary.callsInProgress());
        c2.close();
        assertFalse(secondary.state().active());
        assertEquals(List.of(HaEvent.Kind.TOOK_OVER, HaEvent.Kind.PRIMARY_RETURNED, HaEvent.Kind.STOOD_DOWN), kinds());
        assertEquals(2, events.get(1).callsInProgress());
        assertEquals(0, events.get(2).callsInProgress());
    }

    @Test
    void primaryLostAgainWhileFinishingTakesNewCallsAgain() {
        secondary.primaryLost("gone");
        CallLease c1 = secondary.claim("c1").orElseThrow();
        secondary.primaryHeard("p");
        secondary.primaryLost("gone again");
        assertTrue(secondary.claim("c2").isPresent());
        c1.release();
        assertTrue(secondary.state().active(), "primary still lost");
        assertEquals(List.of(HaEvent.Kind.TOOK_OVER, HaEvent.Kind.PRIMARY_RETURNED, HaEvent.Kind.TOOK_OVER), kinds());
    }

    @Test
    void primaryBackWithNoCallsStandsDownAtOnce() {
        secondary.primaryLost("gone");
        secondary.primaryLost("still gone");
        secondary.primaryHeard("p");
        assertFalse(secondary.state().active());
        assertEquals(List.of(HaEvent.Kind.TOOK_OVER, HaEvent.Kind.STOOD_DOWN), kinds());
    }

    @Test
    void refusedRoutePointAttemptsAreCountedAndReleaseTheLease() {
        secondary.primaryLost("gone");
        secondary.claim("c1").orElseThrow().releaseRefused("Route Point already connected to rec-a");
        assertEquals(1, secondary.refusedAttempts());
        assertEquals("c1: Route Point already connected to rec-a", secondary.lastRefusal());
        assertEquals(0, secondary.callsInProgress());
    }

    @Test
    void reconfigurationKeepsTheCallsAndTheActiveSecondaryActive() {
        secondary.primaryLost("gone");
        CallLease c1 = secondary.claim("c1").orElseThrow();
        secondary.reconfigure("rec-b2", HaRole.SECONDARY, null, () -> 0, "new interval");
        assertTrue(secondary.state().active(), "no call may be missed while the new socket waits");
        assertEquals("rec-b2", secondary.state().nodeId());
        secondary.primaryHeard("p");
        assertEquals(Failover.Phase.FINISHING, secondary.phase());
        c1.release();
        assertFalse(secondary.state().active());
        assertEquals(List.of(HaEvent.Kind.TOOK_OVER, HaEvent.Kind.STARTED, HaEvent.Kind.PRIMARY_RETURNED,
                HaEvent.Kind.STOOD_DOWN), kinds());
    }

    @Test
    void primaryIsAlwaysActiveAndIgnoresTimeouts() {
        Failover primary = new Failover("rec-a", HaRole.PRIMARY, "b", Clock.systemUTC(), () -> 0, events::add);
        primary.primaryLost("n/a");
        primary.primaryHeard("n/a");
        assertTrue(primary.state().active());
        assertTrue(primary.claim("c1").isPresent());
        assertEquals(List.of(), kinds());
    }
}
