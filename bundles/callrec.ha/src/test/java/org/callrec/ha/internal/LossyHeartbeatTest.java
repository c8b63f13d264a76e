package org.callrec.ha.internal;

import static org.callrec.ha.internal.LoopbackPair.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.callrec.api.ha.CallLease;
import org.callrec.api.ha.HaEvent;
import org.callrec.ha.internal.LoopbackPair.Node;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats dropped while both nodes live: both believe they are active for a while. Every call is
 * offered to both nodes' recorders (both see the TAPI events); each claims it from its HA node and,
 * if allowed, connects the Route Point. The PBX model refuses the second connection. The outcome
 * must be: every call recorded exactly once, the loser's attempt refused and counted, and the
 * secondary keeps what it recorded until each call ends.
 */
class LossyHeartbeatTest {

    private static final int CALLS = 120;
    private static final int CALL_SPACING_MS = 25;
    private static final int LOSS_FROM_MS = 800;
    private static final int LOSS_UNTIL_MS = 1600;

    /** One node's recorder: claim, connect, record until the call ends, release. */
    private static final class Recorder {
        final Node node;
        final String nodeId;
        final RoutePointModel pbx;
        final Map<String, CallLease> held = new ConcurrentHashMap<>();
        final List<String> violations = new CopyOnWriteArrayList<>();
        final List<Long> recordingEnds = new CopyOnWriteArrayList<>();

        Recorder(Node node, String nodeId, RoutePointModel pbx) {
            this.node = node;
            this.nodeId = nodeId;
            this.pbx = pbx;
        }

        void callStarted(String callId) {
            Optional<CallLease> lease = node.ha.claimCall(callId);
            if (lease.isEmpty()) {
                return;
            }
            if (pbx.connect(callId, nodeId)) {
                held.put(callId, lease.get());
            } else {
                lease.get().releaseRefused("Route Point already connected to the peer");
            }
        }

        void callEnded(String callId) {
            CallLease lease = held.remove(callId);
            if (lease == null) {
                return;
            }
            if (!node.ha.isActive()) {
                violations.add(callId + " was still being recorded by " + nodeId + " after it stood down");
            }
            pbx.disconnect(callId, nodeId);
            recordingEnds.add(System.nanoTime()); // the recording ends here; then HA is told
            lease.release();
        }
    }

    @Test
    void droppedHeartbeatsNeverGiveACallTwoRecordingsOrNone() throws Exception {
        RoutePointModel pbx = new RoutePointModel();
        Random random = new Random(8);
        ScheduledExecutorService pbxEvents = Executors.newSingleThreadScheduledExecutor();
        try (LoopbackPair pair = new LoopbackPair(HaPairTest.INTERVAL_MS, HaPairTest.SECRET, HaPairTest.SECRET).start()) {
            assertTrue(await(() -> pair.secondary.ha.state().lastValidHeartbeat() != null
                    && !pair.secondary.ha.isActive(), 5000));
            Recorder a = new Recorder(pair.primary, "rec-a", pbx);
            Recorder b = new Recorder(pair.secondary, "rec-b", pbx);
            CountDownLatch allEnded = new CountDownLatch(CALLS);
            long lossStart = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOSS_FROM_MS);
            pbxEvents.schedule(() -> pair.relay.dropping = true, LOSS_FROM_MS, TimeUnit.MILLISECONDS);
            pbxEvents.schedule(() -> pair.relay.dropping = false, LOSS_UNTIL_MS, TimeUnit.MILLISECONDS);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                String id = "call-" + i;
                ids.add(id);
                boolean secondaryFirst = random.nextBoolean();
                long start = (long) i * CALL_SPACING_MS;
                long duration = 100 + random.nextInt(500);
                pbxEvents.schedule(() -> {
                    // both servers see the call; which one's Route Point attempt reaches the PBX first varies
                    (secondaryFirst ? b : a).callStarted(id);
                    (secondaryFirst ? a : b).callStarted(id);
                }, start, TimeUnit.MILLISECONDS);
                pbxEvents.schedule(() -> {
                    a.callEnded(id);
                    b.callEnded(id);
                    allEnded.countDown();
                }, start + duration, TimeUnit.MILLISECONDS);
            }
            assertTrue(allEnded.await(30, TimeUnit.SECONDS));

            for (String id : ids) {
                assertEquals(1, pbx.recordedBy(id).size(), id + " recorded by " + pbx.recordedBy(id));
            }
            LoopbackPair.Timed took = pair.secondary.first(HaEvent.Kind.TOOK_OVER, lossStart);
            assertNotNull(took, "the secondary never noticed the lost heartbeats");
            long recordedByB = ids.stream().filter(id -> pbx.recordedBy(id).equals(List.of("rec-b"))).count();
            assertTrue(recordedByB > 0, "the secondary recorded nothing while it was active");
            int refused = pbx.refused("rec-a") + pbx.refused("rec-b");
            assertTrue(refused > 0, "no call was attempted by both nodes");
            assertEquals(pbx.refused("rec-b"), pair.secondary.ha.refusedAttempts(), "refusals reported by rec-b");
            assertEquals(pbx.refused("rec-a"), pair.primary.ha.refusedAttempts(), "refusals reported by rec-a");
            assertTrue(String.join("\n", pair.secondary.ha.check().details()).contains("Route Point attempts refused"));

            assertEquals(List.of(), a.violations);
            assertEquals(List.of(), b.violations);
            // a loaded machine may add short takeovers of its own (late heartbeats): each must end the same way
            long lastEnd = b.recordingEnds.stream().mapToLong(Long::longValue).max().orElseThrow();
            assertTrue(await(() -> pair.secondary.first(HaEvent.Kind.STOOD_DOWN, lastEnd) != null, 2000),
                    "the secondary did not stand down after its last recording ended");
            for (LoopbackPair.Timed t : pair.secondary.events) {
                if (t.event().kind() == HaEvent.Kind.STOOD_DOWN) {
                    assertEquals(0, t.event().callsInProgress(), "stood down holding calls");
                }
            }
            assertTrue(await(() -> !pair.secondary.ha.isActive(), 1000));
            assertEquals(0, pair.secondary.ha.callsInProgress());
            System.out.printf("lossy heartbeats: %d calls, %d recorded by the secondary, %d duplicate attempts refused%n",
                    CALLS, recordedByB, refused);
        } finally {
            pbxEvents.shutdownNow();
        }
    }
}
