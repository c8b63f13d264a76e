package org.callrec.capture.wave.internal.routepoint;

import static org.callrec.capture.wave.internal.routepoint.Calls.event;
import static org.callrec.capture.wave.internal.routepoint.Calls.request;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.callrec.api.audio.GapMarker;
import org.callrec.api.call.CallDirection;
import org.callrec.api.call.CallEvent;
import org.callrec.api.call.CallEventType;
import org.callrec.api.call.CallOrigin;
import org.callrec.api.call.CallParties;
import org.callrec.api.capture.CaptureException;
import org.callrec.api.capture.CaptureRequest;
import org.callrec.api.capture.CaptureSession;
import org.callrec.api.directory.User;
import org.callrec.api.storage.RecordingStatus;
import org.junit.jupiter.api.Test;

class RoutePointSessionsTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(1000 * SECOND);
    private final ScriptedTransport transport = new ScriptedTransport();
    private final ManualScheduler scheduler = new ManualScheduler();

    private RoutePointSessions sessions(int max, String conference, int redials) {
        RoutePointPolicy p = new RoutePointPolicy("5999", max,
                ConferenceExtensions.parse("systemConferenceExtensions", conference), redials, 1000);
        return new RoutePointSessions(p, transport, scheduler, clock::get);
    }

    static short[] tone(int n, int seed) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) (1000 * Math.sin((i + seed) * 2 * Math.PI * 440 / 8000.0) + seed);
        }
        return s;
    }

    @Test
    void routePointAudioGoesMonoToChannelZeroAndTheCallIsHungUpAtTheEnd() throws Exception {
        RoutePointSessions s = sessions(200, "", 3);
        FakeRecording rec = new FakeRecording();
        CaptureSession session = s.start(request("c1", rec));

        assertEquals(List.of(new RoutePointDial("5999", "c1", "2001", 1)), transport.dials);
        assertEquals(List.of(0), rec.channelsAsked, "mono: only channel 0 is written");
        short[] a = tone(800, 1);
        short[] b = tone(1600, 7);
        transport.leg(0).speak(a);
        transport.leg(0).speak(b);
        assertArrayEquals(concat(a, b), rec.audio());
        assertEquals("5999", rec.notes.get("routepoint.extension"));
        assertEquals("scripted", rec.notes.get("routepoint.transport"));
        assertEquals(1, s.stats().active());

        session.stop();
        assertEquals(1, transport.leg(0).hangUps);
        assertEquals(0, s.stats().active());
        assertEquals(0, rec.closes, "the recorder closes the recording after stop()");
        session.stop();
        assertEquals(0, s.stats().active(), "a second stop releases nothing twice");
    }

    @Test
    void twoHundredSessionsAreAcceptedAndThe201stIsRefusedWithTheCapacityStatus() throws Exception {
        RoutePointSessions s = sessions(200, "", 3);
        List<CaptureSession> running = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            running.add(s.start(request("c" + i, new FakeRecording())));
        }
        assertEquals(200, s.stats().active());
        FakeRecording refused = new FakeRecording();
        CaptureException e = assertThrows(CaptureException.class, () -> s.start(request("c200", refused)));
        assertTrue(e.getMessage().startsWith("capacity reached (200 Route Point sessions)"), e.getMessage());
        assertTrue(e.getMessage().contains("call c200 on ext 2001"), e.getMessage());
        assertEquals(200, transport.dials.size(), "no Route Point call is placed for a refused call");
        assertEquals(1, s.stats().capacityRefusals());
        assertEquals("capacity reached (200 Route Point sessions)", s.stats().lastProblem());

        running.get(17).stop();
        assertNotNull(s.start(request("c201", new FakeRecording())), "a freed session is used again");
        assertEquals(200, s.stats().active());
    }

    @Test
    void capacityIsConfigurable() throws Exception {
        RoutePointSessions s = sessions(2, "", 3);
        s.start(request("a", new FakeRecording()));
        s.start(request("b", new FakeRecording()));
        CaptureException e = assertThrows(CaptureException.class, () -> s.start(request("c", new FakeRecording())));
        assertTrue(e.getMessage().startsWith("capacity reached (2 Route Point sessions)"), e.getMessage());
    }

    @Test
    void aRoutePointThatDoesNotAnswerIsRefusedWithItsReasonAndFreesTheSession() {
        RoutePointSessions s = sessions(1, "", 3);
        transport.fail("486 Busy Here");
        CaptureException e = assertThrows(CaptureException.class, () -> s.start(request("c1", new FakeRecording())));
        assertTrue(e.getMessage().contains("Route Point 5999 (scripted) could not be connected to call c1 on ext 2001: "
                + "486 Busy Here"), e.getMessage());
        assertEquals(0, s.stats().active());
        assertEquals(1, s.stats().dialFailures());
    }

    @Test
    void aMissingRoutePointExtensionRefusesWithTheConfigurationError() {
        RoutePointPolicy p = new RoutePointPolicy("  ", 200, ConferenceExtensions.NONE, 3, 1000);
        RoutePointSessions s = new RoutePointSessions(p, transport, scheduler, clock::get);
        CaptureException e = assertThrows(CaptureException.class, () -> s.start(request("c1", new FakeRecording())));
        assertTrue(e.getMessage().startsWith("ShoreTelTapiWaveRoutePointExtension is not set"), e.getMessage());
        assertTrue(transport.dials.isEmpty());
    }

    @Test
    void anInternalCallIsNeverDialled() {
        RoutePointSessions s = sessions(200, "", 3);
        CaptureRequest internal = new CaptureRequest(event("c1", CallEventType.CONNECTED, CallOrigin.INTERNAL, null),
                new User("u1", "Alice", "alice", true, "", "2001", null, null), new FakeRecording());
        CaptureException e = assertThrows(CaptureException.class, () -> s.start(internal));
        assertTrue(e.getMessage().startsWith("internal call between extensions: not recordable in ShoreTel TAPI/Wave"),
                e.getMessage());
        assertTrue(transport.dials.isEmpty());
        assertEquals(0, s.stats().active());
    }

    @Test
    void aRoutePointThatDropsAndComesBackLeavesAGapOfTheTimeItWasAwayInTheSameFile() throws Exception {
        RoutePointSessions s = sessions(200, "", 3);
        FakeRecording rec = new FakeRecording();
        // set-up of the re-dialled Route Point takes 0.5 s
        transport.onDial(n -> {
            if (n == 2) {
                clock.addAndGet(SECOND / 2);
            }
        });
        CaptureSession session = s.start(request("c1", rec));
        short[] first = tone(16000, 3);
        transport.leg(0).speak(first);

        transport.leg(0).drop("LINECALLSTATE_DISCONNECTED (conference member left)");
        assertEquals(1, transport.leg(0).hangUps, "the dropped leg is released");
        transport.leg(0).speak(tone(800, 9)); // late audio of the dropped leg does not count
        assertEquals(List.of(1000L), scheduler.delays);
        clock.addAndGet(SECOND);
        scheduler.runDue();
        assertEquals(2, transport.dials.size());
        assertEquals(2, transport.dials.get(1).attempt());
        short[] second = tone(8000, 5);
        transport.leg(1).speak(second);

        assertEquals(List.of(new GapMarker(0, 16000, 12000, GapMarker.Reason.ROUTE_POINT_RECONNECT)), rec.gaps,
                "1 s re-dial delay + 0.5 s set-up = 12000 samples");
        short[] audio = rec.audio();
        assertEquals(16000 + 12000 + 8000, audio.length);
        assertArrayEquals(first, java.util.Arrays.copyOfRange(audio, 0, 16000));
        assertArrayEquals(new short[12000], java.util.Arrays.copyOfRange(audio, 16000, 28000));
        assertArrayEquals(second, java.util.Arrays.copyOfRange(audio, 28000, 36000));
        assertEquals(0, rec.closes, "the recording goes on in the same file");
        assertEquals(1, s.stats().reconnects());
        assertEquals(1, s.stats().drops());

        session.stop();
        assertEquals(1, transport.leg(1).hangUps);
        assertEquals("1", rec.notes.get("routepoint.reconnects"));
        assertEquals(0, s.stats().active());
    }

    @Test
    void aRoutePointThatCannotBeReestablishedEndsTheAudioWithTheReason() throws Exception {
        RoutePointSessions s = sessions(200, "", 3);
        FakeRecording rec = new FakeRecording();
        transport.answer().fail("404 Not Found").fail("timeout after 10 s").fail("404 Not Found");
        CaptureSession session = s.start(request("c1", rec));
        transport.leg(0).speak(tone(8000 * 65, 1));
        transport.leg(0).drop("PBX dropped it");
        for (int i = 0; i < 3; i++) {
            assertEquals(1, scheduler.pending());
            scheduler.runDue();
        }
        assertEquals(0, scheduler.pending());
        assertEquals(4, transport.dials.size());
        assertEquals(RecordingStatus.COMPLETE, rec.closedWith);
        assertEquals("Route Point dropped at 1:05.0 and could not be re-established after 3 attempts "
                + "(last: 404 Not Found)", rec.closeReason);
        assertEquals(rec.closeReason, rec.notes.get("routepoint.end"));
        assertEquals(0, s.stats().active());
        assertEquals(1, s.stats().givenUp());
        session.stop();
        assertEquals(1, rec.closes);
        assertEquals(0, s.stats().active());
    }

    @Test
    void aFourthPartyMovingTheCallToASystemConferenceEndsTheAudioWithAnExplainedStatus() throws Exception {
        RoutePointSessions s = sessions(200, "800-809, 7100", 3);
        FakeRecording rec = new FakeRecording();
        CaptureSession session = s.start(request("c1", rec));
        transport.leg(0).speak(tone(8000 * 12, 1));

        // a 3-party conference with another user is recorded on
        session.update(event("c1", CallEventType.CONFERENCED, CallOrigin.EXTERNAL, "2002"));
        assertNull(rec.closedWith);
        assertEquals(0, transport.leg(0).hangUps);

        session.update(event("c1", CallEventType.CONFERENCED, CallOrigin.EXTERNAL, "805"));
        assertEquals(1, transport.leg(0).hangUps);
        assertEquals(RecordingStatus.COMPLETE, rec.closedWith);
        assertEquals("Route Point audio ended at 0:12.0: a 4th party joined and the PBX moved the call to system "
                + "conference extension 805, which a Route Point cannot record (PBX behaviour); the users stay OnPhone",
                rec.closeReason);
        assertEquals(0, s.stats().active(), "the Route Point session is free for another call");
        assertEquals(1, s.stats().conferenceEnds());
        transport.leg(0).speak(tone(800, 2)); // nothing is written after the end (the fake throws if it were)

        session.stop();
        assertEquals(1, rec.closes, "the capture closes once; the recorder's later close changes nothing");
        assertEquals(1, transport.leg(0).hangUps);
    }

    @Test
    void aFourthPartyIsRecognisedByTheCalledPartyWhenTheSourceGivesNoConnectedParty() throws Exception {
        RoutePointSessions s = sessions(200, "7100", 3);
        FakeRecording rec = new FakeRecording();
        CaptureSession session = s.start(request("c1", rec));
        session.update(new CallEvent("test", "c1", CallEventType.CONFERENCED, Instant.now(), "2001",
                new CallParties("2001", "7100", null, null), CallOrigin.EXTERNAL, CallDirection.OUTBOUND, null, null,
                null));
        assertTrue(rec.closeReason.contains("system conference extension 7100"), rec.closeReason);
    }

    @Test
    void aFourthPartyWhileTheRoutePointIsAwayCancelsTheRedial() throws Exception {
        RoutePointSessions s = sessions(200, "800", 3);
        FakeRecording rec = new FakeRecording();
        CaptureSession session = s.start(request("c1", rec));
        transport.leg(0).speak(tone(800, 1));
        transport.leg(0).drop("conference rebuilt");
        assertEquals(1, scheduler.pending());
        session.update(event("c1", CallEventType.CONFERENCED, CallOrigin.EXTERNAL, "800"));
        assertEquals(1, scheduler.cancelled);
        scheduler.runDue();
        assertEquals(1, transport.dials.size(), "no re-dial after the conference took the call");
        assertTrue(rec.closeReason.contains("4th party"), rec.closeReason);
        assertEquals(0, s.stats().active());
    }

    @Test
    void aCallThatEndsWhileTheRoutePointIsAwayKeepsItsLengthWithAGap() throws Exception {
        RoutePointSessions s = sessions(200, "", 3);
        FakeRecording rec = new FakeRecording();
        CaptureSession session = s.start(request("c1", rec));
        transport.leg(0).speak(tone(4000, 1));
        transport.leg(0).drop("gone");
        clock.addAndGet(SECOND / 4);
        session.stop();
        assertEquals(List.of(new GapMarker(0, 4000, 2000, GapMarker.Reason.ROUTE_POINT_RECONNECT)), rec.gaps);
        assertEquals(1, scheduler.cancelled);
        assertEquals(0, s.stats().active());
    }

    @Test
    void redialDisabledEndsTheAudioAtTheFirstDrop() throws Exception {
        RoutePointSessions s = sessions(200, "", 0);
        FakeRecording rec = new FakeRecording();
        s.start(request("c1", rec));
        transport.leg(0).drop("gone");
        assertEquals(0, scheduler.pending());
        assertTrue(rec.closeReason.contains("re-establishing it is disabled"), rec.closeReason);
        assertEquals(0, s.stats().active());
    }

    @Test
    void conferenceExtensionListsAreParsedOrRejectedByName() {
        ConferenceExtensions c = ConferenceExtensions.parse("systemConferenceExtensions", "800-809, 7100;7200");
        assertTrue(c.contains("800"));
        assertTrue(c.contains(" 809 "));
        assertFalse(c.contains("810"));
        assertFalse(c.contains("8000"), "ranges compare extensions of the same length");
        assertTrue(c.contains("7200"));
        assertFalse(c.contains(null));
        assertTrue(ConferenceExtensions.parse("k", " ").isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConferenceExtensions.parse("systemConferenceExtensions", "800, 9x9"));
        assertTrue(e.getMessage().startsWith("systemConferenceExtensions: '9x9' is not an extension"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConferenceExtensions.parse("k", "809-800"));
        assertThrows(IllegalArgumentException.class, () -> ConferenceExtensions.parse("k", "80-800"));
    }

    private static short[] concat(short[] a, short[] b) {
        short[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
