package org.callrec.ha.internal;

import static org.callrec.ha.internal.LoopbackPair.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.callrec.api.ha.CallLease;
import org.callrec.api.ha.HaEvent;
import org.callrec.api.ha.HaRole;
import org.callrec.api.health.HealthReport;
import org.callrec.api.health.HealthStatus;
import org.junit.jupiter.api.Test;

/** Two HA nodes on loopback UDP with a 100 ms heartbeat interval (the configured default is 5000 ms). */
class HaPairTest {

    static final int INTERVAL_MS = 100;
    /** The bound: the secondary records within one interval + 250 ms of the primary stopping. */
    static final long TAKEOVER_BOUND_MS = INTERVAL_MS + 250;
    static final String SECRET = "a shared secret of the two recording servers";

    /** Waits until the secondary is passive and has just heard the primary. */
    private static void awaitSecondaryListening(LoopbackPair pair) throws InterruptedException {
        assertTrue(await(() -> {
            var st = pair.secondary.ha.state();
            return !st.active() && st.lastValidHeartbeat() != null
                    && st.lastValidHeartbeat().isAfter(Instant.now().minusMillis(INTERVAL_MS / 2));
        }, 5000), () -> "secondary never became passive and heard the primary: " + pair.secondary.ha.check());
    }

    @Test
    void primaryStoppedSecondaryTakesOverWithinOneIntervalPlus250ms() throws Exception {
        try (LoopbackPair pair = new LoopbackPair(INTERVAL_MS, SECRET, SECRET).start()) {
            List<Long> measured = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                awaitSecondaryListening(pair);
                long stopped = System.nanoTime();
                pair.stopPrimary();
                assertTrue(await(() -> pair.secondary.first(HaEvent.Kind.TOOK_OVER, stopped) != null, 3000),
                        "no takeover after the primary stopped");
                long ms = (pair.secondary.first(HaEvent.Kind.TOOK_OVER, stopped).nanos() - stopped) / 1_000_000;
                measured.add(ms);
                assertTrue(ms <= TAKEOVER_BOUND_MS, "takeover took " + ms + " ms, bound " + TAKEOVER_BOUND_MS + " ms");
                assertTrue(pair.secondary.ha.isActive());
                CallLease lease = pair.secondary.ha.claimCall("call-" + round).orElseThrow();
                assertTrue(pair.secondary.ha.claimCall("call-" + round).isEmpty(), "one lease per call");
                assertEquals(1, pair.secondary.ha.callsInProgress());
                HealthReport r = pair.secondary.ha.check();
                assertEquals(HealthStatus.WARNING, r.status());
                assertTrue(r.message().contains("has taken over"), r.message());

                long restarted = System.nanoTime();
                pair.startPrimary();
                assertTrue(await(() -> pair.secondary.first(HaEvent.Kind.PRIMARY_RETURNED, restarted) != null, 3000));
                assertTrue(pair.secondary.ha.isActive(), "holds call-" + round + " until it ends");
                lease.release(); // the call ends
                assertTrue(await(() -> !pair.secondary.ha.isActive(), 1000));
            }
            System.out.println("takeover after primary stop, ms (interval " + INTERVAL_MS + " ms): " + measured);
        }
    }

    @Test
    void failbackKeepsTheCallTheSecondaryIsRecordingUntilItEnds() throws Exception {
        try (LoopbackPair pair = new LoopbackPair(INTERVAL_MS, SECRET, SECRET).start()) {
            awaitSecondaryListening(pair);
            assertTrue(pair.secondary.ha.claimCall("before").isEmpty(), "passive secondary does not record");
            assertTrue(pair.primary.ha.claimCall("before").isPresent());

            long stopped = System.nanoTime();
            pair.stopPrimary();
            assertTrue(await(() -> pair.secondary.first(HaEvent.Kind.TOOK_OVER, stopped) != null, 3000));
            CallLease ongoing = pair.secondary.ha.claimCall("call-42").orElseThrow();
            assertEquals("rec-b", pair.secondary.ha.state().nodeId(), "catalog HA node field of the recording");

            long back = System.nanoTime();
            pair.startPrimary();
            assertTrue(await(() -> pair.secondary.first(HaEvent.Kind.PRIMARY_RETURNED, back) != null, 3000));
            HaEvent returned = pair.secondary.first(HaEvent.Kind.PRIMARY_RETURNED, back).event();
            assertEquals(1, returned.callsInProgress());
            // many intervals of heartbeats later the call is still held: failback cuts nothing
            Thread.sleep(5 * INTERVAL_MS);
            assertTrue(pair.secondary.ha.isActive());
            assertEquals(1, pair.secondary.ha.callsInProgress());
            assertNull(pair.secondary.first(HaEvent.Kind.STOOD_DOWN, back), "stood down with a call in progress");
            assertEquals(Optional.empty(), pair.secondary.ha.claimCall("call-43"), "new calls go to the primary");
            assertTrue(pair.primary.ha.claimCall("call-43").isPresent());
            assertTrue(pair.secondary.ha.check().message().contains("finishing 1 call(s)"),
                    pair.secondary.ha.check().message());

            long ended = System.nanoTime();
            ongoing.release();
            assertTrue(await(() -> pair.secondary.first(HaEvent.Kind.STOOD_DOWN, ended) != null, 1000));
            assertFalse(pair.secondary.ha.isActive());
            assertEquals(HealthStatus.OK, pair.secondary.ha.check().status());
        }
    }

    @Test
    void reconfiguringTheSecondaryWhileItRecordsKeepsTheCall() throws Exception {
        try (LoopbackPair pair = new LoopbackPair(INTERVAL_MS, SECRET, SECRET).start()) {
            awaitSecondaryListening(pair);
            long stopped = System.nanoTime();
            pair.stopPrimary();
            assertTrue(await(() -> pair.secondary.first(HaEvent.Kind.TOOK_OVER, stopped) != null, 3000));
            CallLease ongoing = pair.secondary.ha.claimCall("call-7").orElseThrow();

            var config = pair.secondaryConfig();
            config.put("heartbeatClockSkew", 2000);
            pair.secondary.ha.configure(config);
            assertTrue(pair.secondary.ha.isActive());
            assertEquals(1, pair.secondary.ha.callsInProgress());

            long back = System.nanoTime();
            pair.startPrimary();
            assertTrue(await(() -> pair.secondary.first(HaEvent.Kind.PRIMARY_RETURNED, back) != null, 3000));
            assertTrue(pair.secondary.ha.isActive());
            ongoing.release();
            assertTrue(await(() -> !pair.secondary.ha.isActive(), 1000));
        }
    }

    @Test
    void spoofedAndReplayedHeartbeatsAreRejectedCountedAndCannotSilenceTheSecondary() throws Exception {
        try (LoopbackPair pair = new LoopbackPair(INTERVAL_MS, SECRET, SECRET).start();
                DatagramSocket attacker = new DatagramSocket(new InetSocketAddress(LoopbackPair.LOOPBACK, 0))) {
            awaitSecondaryListening(pair);
            Thread.sleep(1200); // so that the first captured heartbeats are older than the 1000 ms window
            InetSocketAddress victim = new InetSocketAddress(LoopbackPair.LOOPBACK, pair.secondaryReceivePort);
            HeartbeatCodec wrongKey = new HeartbeatCodec("not the secret".getBytes(StandardCharsets.UTF_8));
            HeartbeatCodec noKey = new HeartbeatCodec(new byte[0]);

            // the primary "dies" as far as the secondary can tell; the attacker keeps sending
            pair.relay.dropping = true;
            long silenced = System.nanoTime();
            List<byte[]> captured = pair.relay.seen();
            long seq = Long.MAX_VALUE / 2;
            int rounds = 0;
            while (System.nanoTime() - silenced < 4L * INTERVAL_MS * 1_000_000) {
                long now = System.currentTimeMillis();
                for (byte[] forged : List.of(
                        wrongKey.encode(new Heartbeat("rec-a", HaRole.PRIMARY, now, seq++, now)),
                        noKey.encode(new Heartbeat("rec-a", HaRole.PRIMARY, now, seq++, now)),
                        captured.get(0), // old: outside the window
                        captured.get(captured.size() - 1))) { // fresh but already seen: replay
                    attacker.send(new DatagramPacket(forged, forged.length, victim));
                }
                rounds++;
                Thread.sleep(10);
            }
            LoopbackPair.Timed took = pair.secondary.first(HaEvent.Kind.TOOK_OVER, silenced);
            assertNotNull(took, "spoofed/replayed heartbeats kept the secondary passive");
            long ms = (took.nanos() - silenced) / 1_000_000;
            assertTrue(ms <= TAKEOVER_BOUND_MS, "takeover under attack took " + ms + " ms");

            HaNode s = pair.secondary.ha;
            int sent = rounds;
            // every attack packet is rejected, each for its own reason
            assertTrue(await(() -> s.rejected(HeartbeatRejection.BAD_MAC) == 2L * sent
                    && s.rejected(HeartbeatRejection.STALE) == sent && s.rejected(HeartbeatRejection.REPLAYED) == sent,
                    2000), () -> sent + " rounds: " + s.check().details());
            long total = s.rejected(HeartbeatRejection.BAD_MAC) + s.rejected(HeartbeatRejection.STALE)
                    + s.rejected(HeartbeatRejection.REPLAYED) + s.rejected(HeartbeatRejection.MALFORMED)
                    + s.rejected(HeartbeatRejection.NOT_FROM_PRIMARY);
            assertEquals(total, s.state().rejectedHeartbeats());
            assertTrue(String.join("\n", s.check().details()).contains("BAD_MAC=" + s.rejected(HeartbeatRejection.BAD_MAC)));

            // real heartbeats again: the genuine primary is still accepted after the attack
            long healed = System.nanoTime();
            pair.relay.dropping = false;
            assertTrue(await(() -> pair.secondary.first(HaEvent.Kind.STOOD_DOWN, healed) != null, 2000));
        }
    }

    @Test
    void secretsThatDifferAreRejectedSoTheSecondaryTakesOver() throws Exception {
        try (LoopbackPair pair = new LoopbackPair(INTERVAL_MS, SECRET, SECRET + "!").start()) {
            assertTrue(await(() -> pair.secondary.ha.isActive(), 2000));
            assertTrue(await(() -> pair.secondary.ha.rejected(HeartbeatRejection.BAD_MAC) >= 3, 2000));
            assertNull(pair.secondary.ha.state().lastValidHeartbeat());
        }
    }

    @Test
    void noSecretWorksButIsReportedAsAWarning() throws Exception {
        try (LoopbackPair pair = new LoopbackPair(INTERVAL_MS, "", "").start()) {
            awaitSecondaryListening(pair);
            for (HaNode n : List.of(pair.primary.ha, pair.secondary.ha)) {
                HealthReport r = n.check();
                assertEquals(HealthStatus.WARNING, r.status());
                assertTrue(r.message().contains("no heartbeatSecret"), r.message());
            }
        }
    }

    @Test
    void aPortInUseIsNamedAndTheSecondaryRecordsRatherThanLoseCalls() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(LoopbackPair.LOOPBACK, 0));
                LoopbackPair pair = new LoopbackPair(INTERVAL_MS, SECRET, SECRET)) {
            var config = pair.secondaryConfig();
            config.put("TapiWaveHeartbeatReceivePort", taken.getLocalPort());
            try (LoopbackPair.Node secondary = new LoopbackPair.Node(config)) {
                assertTrue(secondary.ha.isActive());
                HealthReport r = secondary.ha.check();
                assertEquals(HealthStatus.CRITICAL, r.status());
                assertTrue(r.message().startsWith("cannot bind UDP TapiWaveHeartbeatReceivePort=" + taken.getLocalPort()),
                        r.message());
            }
        }
    }
}
