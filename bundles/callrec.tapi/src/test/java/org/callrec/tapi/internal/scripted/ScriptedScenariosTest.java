package org.callrec.tapi.internal.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.callrec.api.call.CallDirection;
import org.callrec.api.call.CallEvent;
import org.callrec.api.call.CallEventType;
import org.callrec.api.call.CallOrigin;
import org.callrec.api.call.LinkState;
import org.junit.jupiter.api.Test;

/**
 * Every shipped scenario, played by the scripted PBX through the real pump and state machine; the
 * exact event sequence is asserted.
 */
class ScriptedScenariosTest {

    private static final Duration T = Duration.ofSeconds(20);
    private static final Duration WATCHDOG = Duration.ofSeconds(30);
    private static final String CALLER = "+493012345678";
    private static final String DID = "+4930999001";

    private static ScenarioRun run(String name, boolean dnis) throws InterruptedException {
        return new ScenarioRun(Scenario.load(name), dnis, WATCHDOG).play(T);
    }

    @Test
    void inboundExternalAnswered() throws InterruptedException {
        ScenarioRun r = run("inbound-external-answered", true);
        assertEquals(List.of("1001/7001 OFFERING", "1001/7001 ACCEPTED", "1001/7001 CONNECTED",
                "1001/7001 DISCONNECTED", "1001/7001 IDLE"), r.lines());
        CallEvent c = r.first("1001/7001", CallEventType.CONNECTED);
        assertEquals(CallOrigin.EXTERNAL, c.origin());
        assertEquals(CallDirection.INBOUND, c.direction());
        assertEquals(CALLER, c.parties().caller());
        assertEquals(DID, c.parties().called());
        assertEquals(CALLER, c.parties().connected());
        assertEquals(DID, c.dnis(), "DNIS of an inbound external call is the called number");
        assertEquals("scripted-pbx", c.source());
        assertEquals(1, r.pbx.initialisations());
        assertEquals(1, r.pbx.deallocated(), "the idle call's handle is deallocated");
    }

    @Test
    void dnisOnlyWhenEnabled() throws InterruptedException {
        ScenarioRun r = run("inbound-external-answered", false);
        r.events.forEach(e -> assertNull(e.dnis(), "EnableDnis=false must give no DNIS: " + e));
    }

    @Test
    void outboundExternal() throws InterruptedException {
        ScenarioRun r = run("outbound-external", true);
        assertEquals(List.of("1001/7101 DIALING", "1001/7101 CONNECTED", "1001/7101 DISCONNECTED", "1001/7101 IDLE"),
                r.lines());
        CallEvent c = r.first("1001/7101", CallEventType.CONNECTED);
        assertEquals(CallDirection.OUTBOUND, c.direction());
        assertEquals(CallOrigin.EXTERNAL, c.origin(), "far number 00493011122233 is not an extension");
        assertEquals("00493011122233", c.parties().called());
        assertNull(c.dnis(), "outbound calls have no DNIS");
    }

    @Test
    void internalCallBetweenTwoUsers() throws InterruptedException {
        ScenarioRun r = run("internal-call", true);
        assertEquals(List.of("1001/7201 DIALING", "1002/7201 OFFERING", "1002/7201 CONNECTED", "1001/7201 CONNECTED",
                "1002/7201 DISCONNECTED", "1001/7201 DISCONNECTED", "1001/7201 IDLE", "1002/7201 IDLE"), r.lines());
        assertEquals(CallOrigin.INTERNAL, r.first("1001/7201", CallEventType.CONNECTED).origin());
        assertEquals(CallDirection.OUTBOUND, r.first("1001/7201", CallEventType.CONNECTED).direction());
        assertEquals(CallOrigin.INTERNAL, r.first("1002/7201", CallEventType.CONNECTED).origin());
        assertEquals(CallDirection.INBOUND, r.first("1002/7201", CallEventType.CONNECTED).direction());
        assertNull(r.first("1002/7201", CallEventType.CONNECTED).dnis(), "internal calls have no DNIS");
    }

    @Test
    void holdAndResume() throws InterruptedException {
        ScenarioRun r = run("hold-resume", false);
        assertEquals(List.of("1001/7301 OFFERING", "1001/7301 CONNECTED", "1001/7301 ON_HOLD", "1001/7301 RESUMED",
                "1001/7301 ON_HOLD", "1001/7301 RESUMED", "1001/7301 DISCONNECTED", "1001/7301 IDLE"), r.lines());
    }

    @Test
    void blindTransfer() throws InterruptedException {
        ScenarioRun r = run("blind-transfer", true);
        assertEquals(List.of("1001/7401 OFFERING", "1001/7401 CONNECTED", "1001/7401 TRANSFERRED [7402]",
                "1002/7402 OFFERING", "1001/7401 DISCONNECTED", "1001/7401 IDLE", "1002/7402 CONNECTED",
                "1002/7402 DISCONNECTED", "1002/7402 IDLE"), r.lines());
        assertEquals("1001", r.first("1002/7402", CallEventType.OFFERING).parties().redirecting());
        assertEquals(2, r.pbx.deallocated(), "both idle calls' handles are deallocated");
    }

    @Test
    void consultativeTransfer() throws InterruptedException {
        ScenarioRun r = run("consultative-transfer", false);
        assertEquals(List.of("1001/7501 OFFERING", "1001/7501 CONNECTED", "1001/7501 ON_HOLD", "1001/7502 DIALING",
                "1002/7502 OFFERING", "1002/7502 CONNECTED", "1001/7502 CONNECTED",
                "1001/7501 TRANSFERRED [7502]", "1001/7502 TRANSFERRED [7501]", "1002/7502 TRANSFERRED [7501]",
                "1001/7501 DISCONNECTED", "1001/7501 IDLE", "1001/7502 DISCONNECTED", "1001/7502 IDLE",
                "1002/7502 DISCONNECTED", "1002/7502 IDLE"), r.lines());
        assertEquals(CALLER, r.first("1002/7502", CallEventType.TRANSFERRED).parties().connected(),
                "after the transfer Bob's leg is connected to the external caller");
    }

    @Test
    void threePartyConferenceThenFourthPartyMovesToSystemConferenceExtension() throws InterruptedException {
        ScenarioRun r = run("conference-fourth-party", false);
        assertEquals(List.of("1001/7601 OFFERING", "1001/7601 CONNECTED", "1001/7601 ON_HOLD", "1001/7602 DIALING",
                "1002/7602 OFFERING", "1002/7602 CONNECTED", "1001/7602 CONNECTED",
                "1001/7601 CONFERENCED [7603]", "1001/7602 CONFERENCED [7603]",
                "1001/7604 DIALING", "1001/7604 CONNECTED", "1001/7604 CONFERENCED [7603]",
                "1001/7601 CONFERENCED [7605]", "1001/7602 CONFERENCED [7605]", "1001/7604 CONFERENCED [7605]",
                "1001/7601 DISCONNECTED", "1001/7601 IDLE", "1001/7602 DISCONNECTED", "1001/7602 IDLE",
                "1001/7604 DISCONNECTED", "1001/7604 IDLE", "1002/7602 DISCONNECTED", "1002/7602 IDLE"), r.lines());
        CallEvent moved = r.events.stream().filter(e -> e.relatedCallIds().equals(List.of("7605"))).findFirst().orElseThrow();
        assertEquals("799", moved.parties().connected(), "the system conference extension is the connected party");
    }

    @Test
    void findMeForwardToAnotherExtension() throws InterruptedException {
        ScenarioRun r = run("findme-forward-extension", true);
        assertEquals(List.of("1001/7801 OFFERING", "1002/7801 OFFERING", "1001/7801 DISCONNECTED", "1001/7801 IDLE",
                "1002/7801 CONNECTED", "1002/7801 DISCONNECTED", "1002/7801 IDLE"), r.lines());
        assertEquals(DID, r.first("1001/7801", CallEventType.OFFERING).dnis());
        assertEquals("1001", r.first("1002/7801", CallEventType.CONNECTED).dnis(),
                "after a forward DNIS is the redirecting number");
    }

    @Test
    void findMeForwardToAnExternalNumber() throws InterruptedException {
        ScenarioRun r = run("findme-forward-external", true);
        assertEquals(List.of("1001/7901 OFFERING", "1001/7901 DISCONNECTED", "1001/7901 IDLE"), r.lines());
    }

    @Test
    void pbxRebootMidCallRecoversTheCallInProgressWithoutDuplicates() throws InterruptedException {
        ScenarioRun r = run("pbx-reboot-mid-call", false);
        assertEquals(List.of("1001/8001 OFFERING", "1001/8001 CONNECTED", "1002/8003 OFFERING",
                // re-initialised: 8001 continues silently, 8002 (connected meanwhile) appears once, 8003 ended
                "1002/8002 CONNECTED", "1002/8003 DISCONNECTED", "1002/8003 IDLE",
                "1001/8001 DISCONNECTED", "1001/8001 IDLE", "1002/8002 DISCONNECTED", "1002/8002 IDLE"), r.lines());
        assertEquals(2, r.pbx.initialisations(), "REINIT re-initialises the provider once");
        assertTrue(r.linkStates.stream().anyMatch(s -> s.status() == LinkState.Status.RECONNECTING
                && s.lastError().contains("REINIT")), "link went RECONNECTING naming REINIT: " + r.linkStates);
        List<LinkState.Status> statuses = r.linkStates.stream().map(LinkState::status).toList();
        assertEquals(List.of(LinkState.Status.UP, LinkState.Status.RECONNECTING, LinkState.Status.UP,
                LinkState.Status.DOWN), statuses);
    }

    @Test
    void silentTspIsReinitialisedWithinTheWatchdogTime() throws InterruptedException {
        Duration watchdog = Duration.ofMillis(1500);
        ScenarioRun r = new ScenarioRun(Scenario.load("silent-tsp"), false, watchdog);
        r.link.start("test-pump");
        long deadline = System.nanoTime() + T.toNanos();
        Long silentAt = null;
        Long reconnectingAt = null;
        while (!r.pbx.finished() && System.nanoTime() < deadline) {
            if (silentAt == null && r.lines().contains("1001/8101 CONNECTED")) {
                silentAt = System.nanoTime(); // the SILENT step follows immediately in fast mode
            }
            if (reconnectingAt == null && r.linkStates.stream().anyMatch(s -> s.status() == LinkState.Status.RECONNECTING)) {
                reconnectingAt = System.nanoTime();
            }
            Thread.sleep(10);
        }
        r.link.stop();
        assertTrue(r.pbx.finished(), "scenario did not finish: " + r.lines());
        assertEquals(List.of("1001/8101 OFFERING", "1001/8101 CONNECTED", "1001/8101 DISCONNECTED", "1001/8101 IDLE"),
                r.lines());
        assertEquals(1, r.link.watchdogFirings());
        assertEquals(2, r.pbx.initialisations());
        long detectedMs = (reconnectingAt - silentAt) / 1_000_000;
        // silence is noticed after the watchdog time, plus at most one poll interval (100 ms) and scheduling slack
        assertTrue(detectedMs >= watchdog.toMillis() - 150 && detectedMs <= watchdog.toMillis() + 600,
                "watchdog fired " + detectedMs + " ms after the TSP went silent (watchdog " + watchdog.toMillis() + " ms)");
        assertTrue(r.linkStates.stream().anyMatch(s -> s.lastError() != null && s.lastError().startsWith("watchdog")),
                r.linkStates.toString());
    }

    @Test
    void lineCloseReinitialisesAndFailedRepliesAreCounted() throws InterruptedException {
        Scenario s = Scenario.parse("inline", """
                {"name": "close", "lines": ["1001"], "steps": [
                  {"call": "a", "line": "1001", "state": "OFFERING", "info": {"callId": 1, "origin": "INTERNAL", "caller": "1002"}},
                  {"reply": 7, "result": 2147483720},
                  {"link": "CLOSE", "line": "1001"},
                  {"call": "a", "state": "IDLE"}
                ]}""");
        ScenarioRun r = new ScenarioRun(s, false, WATCHDOG).play(T);
        assertEquals(List.of("1001/1 OFFERING", "1001/1 DISCONNECTED", "1001/1 IDLE"), r.lines());
        assertEquals(2, r.pbx.initialisations(), "LINE_CLOSE re-initialises");
        assertTrue(r.linkStates.stream().anyMatch(x -> x.lastError() != null && x.lastError().contains("LINE_CLOSE")));
    }
}
