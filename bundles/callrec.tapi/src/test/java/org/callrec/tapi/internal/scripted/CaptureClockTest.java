package org.callrec.tapi.internal.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.callrec.api.call.CallEvent;
import org.callrec.tapi.internal.line.CallTracker;
import org.callrec.tapi.internal.line.LinkSettings;
import org.callrec.tapi.internal.line.TapiLink;
import org.junit.jupiter.api.Test;

/**
 * The scripted PBX on a capture file's clock: steps take effect when the capture time reaches
 * them (never by wall time), each advance returns with the due events already delivered through
 * the real pump and state machine, events carry the steps' capture times, and runs repeat exactly.
 */
class CaptureClockTest {

    /** A capture made long ago: no wall-clock time can be mistaken for it. */
    private static final Instant T0 = Instant.parse("2024-03-05T10:00:00.000Z");

    private static final String CALL = """
            {"name": "one-call", "lines": ["1001"], "steps": [
              {"at": 1000, "call": "a", "line": "1001", "state": "OFFERING",
               "info": {"callId": 42, "origin": "EXTERNAL", "reason": "DIRECT", "caller": "+4930123", "called": "1001"}},
              {"after": 1500, "call": "a", "state": "CONNECTED", "info": {"connected": "+4930123"}},
              {"at": 9000, "call": "a", "state": "DISCONNECTED"},
              {"call": "a", "state": "IDLE"}
            ]}""";

    /** Pump, state machine and PBX as the provider wires them, with the capture clock as event clock. */
    private static final class Run implements AutoCloseable {
        final ScriptedPbx pbx;
        final TapiLink link;
        final List<CallEvent> events = new CopyOnWriteArrayList<>();

        Run(Scenario s) {
            pbx = ScriptedPbx.onCaptureClock(s);
            CallTracker tracker = new CallTracker("scripted-pbx", events::add, pbx.captureClock(), false,
                    Pattern.compile("[0-9]{2,6}"));
            link = new TapiLink(pbx, tracker, new LinkSettings("test", Duration.ofMillis(100), Duration.ofSeconds(30),
                    Duration.ofMillis(50), Duration.ofSeconds(1)), st -> { }, java.time.Clock.systemUTC());
            link.start("test-pump");
        }

        List<String> lines() {
            return events.stream().map(e -> e.type() + "@" + Duration.between(T0, e.time()).toMillis())
                    .collect(Collectors.toList());
        }

        @Override
        public void close() {
            link.stop();
        }
    }

    @Test
    void stepsTakeEffectWhenTheCaptureTimeReachesThemWithTheirOwnTimes() {
        try (Run r = new Run(Scenario.parse("t", CALL))) {
            assertTrue(r.pbx.begin(T0).contains("4 step(s) from " + T0 + " (the first packet)"));
            r.pbx.advanceTo(T0.plusMillis(999));
            assertEquals(List.of(), r.lines(), "nothing is due before 1000 ms");
            r.pbx.advanceTo(T0.plusMillis(1000));
            assertEquals(List.of("OFFERING@1000"), r.lines(), "delivered by the time advanceTo returns");
            // a packet 3 s later: the connect took effect at its own time, 2500 ms, not at the packet's
            r.pbx.advanceTo(T0.plusMillis(5500));
            assertEquals(List.of("OFFERING@1000", "CONNECTED@2500"), r.lines());
            // the file ends at 6 s: the two steps after it are played at their times
            assertEquals(2, r.pbx.finish(T0.plusMillis(6000)));
            assertEquals(List.of("OFFERING@1000", "CONNECTED@2500", "DISCONNECTED@9000", "IDLE@9400"), r.lines());
            assertTrue(r.pbx.finished());
        }
    }

    @Test
    void aRunIsDeterministicHoweverThePacketsFall() {
        List<String> first;
        try (Run r = new Run(Scenario.parse("t", CALL))) {
            r.pbx.begin(T0);
            for (long ms = 0; ms <= 10_000; ms += 20) { // a packet every 20 ms
                r.pbx.advanceTo(T0.plusMillis(ms));
            }
            first = r.lines();
        }
        try (Run r = new Run(Scenario.parse("t", CALL))) {
            r.pbx.begin(T0);
            r.pbx.advanceTo(T0.plusMillis(3333)); // one packet, then the end
            r.pbx.finish(T0.plusMillis(3334));
            assertEquals(first, r.lines());
        }
        assertEquals(List.of("OFFERING@1000", "CONNECTED@2500", "DISCONNECTED@9000", "IDLE@9400"), first);
    }

    @Test
    void anExplicitStartIsACaptureTimeAndAStepBeforeTheFirstPacketIsRefused() {
        String later = CALL.replace("\"lines\"", "\"start\": \"2024-03-05T10:00:10Z\", \"lines\"");
        try (Run r = new Run(Scenario.parse("t", later))) {
            assertTrue(r.pbx.begin(T0).contains("('start')"));
            r.pbx.advanceTo(T0.plusMillis(10_999));
            assertEquals(List.of(), r.lines());
            r.pbx.advanceTo(T0.plusMillis(11_000));
            assertEquals(List.of("OFFERING@11000"), r.lines());
        }
        String earlier = CALL.replace("\"lines\"", "\"start\": \"2024-03-05T09:59:58.500Z\", \"lines\"");
        try (Run r = new Run(Scenario.parse("t", earlier))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.pbx.begin(T0));
            assertTrue(e.getMessage().contains("step 1: takes effect at 2024-03-05T09:59:59.500Z")
                    && e.getMessage().contains("in the past"), e.getMessage());
        }
    }

    @Test
    void aPbxRestartIsWaitedForBeforeTheCaptureGoesOn() {
        try (Run r = new Run(Scenario.load("pbx-reboot-mid-call"))) {
            r.pbx.begin(T0);
            r.pbx.advanceTo(T0.plusMillis(3399));
            assertEquals(1, r.link.initialisations());
            r.pbx.advanceTo(T0.plusMillis(3400)); // the REINIT is due at 1000 + 400 + 2000 ms
            assertEquals(2, r.link.initialisations(), "re-initialised before advanceTo returned");
            assertTrue(r.lines().contains("CONNECTED@3400"), "the call made while the link was down: " + r.lines());
            r.pbx.finish(T0.plusMillis(3400));
            List<String> ends = r.events.stream().filter(e -> e.type().name().equals("IDLE"))
                    .map(e -> e.extension() + "/" + e.callId()).sorted().toList();
            assertEquals(List.of("1001/8001", "1002/8002", "1002/8003"), ends);
        }
    }

    @Test
    void aSilentTspCannotBePlayedOnACaptureClock() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScriptedPbx.onCaptureClock(Scenario.load("silent-tsp")));
        assertTrue(e.getMessage().contains("link SILENT cannot be played on a capture clock"), e.getMessage());
    }

    @Test
    void offsetsAddUpAndAtNamesTheTime() {
        Scenario s = Scenario.parse("t", CALL);
        assertEquals(List.of(1000L, 2500L, 9000L, 9400L), s.steps().stream().map(Scenario.Step::offsetMs).toList());
        Scenario plain = Scenario.load("inbound-external-answered"); // no 'after' on the first step: it starts at 0
        assertEquals(List.of(0L, 400L, 1900L, 9900L, 10300L), plain.steps().stream().map(Scenario.Step::offsetMs).toList());
    }
}
