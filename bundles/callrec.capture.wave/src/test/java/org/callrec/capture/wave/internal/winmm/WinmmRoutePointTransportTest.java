package org.callrec.capture.wave.internal.winmm;

import static org.callrec.capture.wave.internal.routepoint.Await.waitFor;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.callrec.api.audio.GapMarker;
import org.callrec.api.audio.PcmSink;
import org.callrec.api.capture.CaptureSession;
import org.callrec.capture.wave.internal.routepoint.ConferenceExtensions;
import org.callrec.capture.wave.internal.routepoint.FakeRecording;
import org.callrec.capture.wave.internal.routepoint.LegEvents;
import org.callrec.capture.wave.internal.routepoint.ManualScheduler;
import org.callrec.capture.wave.internal.routepoint.RoutePointDial;
import org.callrec.capture.wave.internal.routepoint.RoutePointException;
import org.callrec.capture.wave.internal.routepoint.RoutePointLeg;
import org.callrec.capture.wave.internal.routepoint.RoutePointPolicy;
import org.callrec.capture.wave.internal.routepoint.RoutePointSessions;
import org.callrec.capture.wave.internal.routepoint.Calls;
import org.junit.jupiter.api.Test;

class WinmmRoutePointTransportTest {

    static final int BYTES = WaveInCaptureTest.BYTES;
    static final int SAMPLES = BYTES / 2;

    /** TAPI as the transport sees it: places the Route Point call, names its wave device, drops it. */
    static final class ScriptedTapi implements TapiRoutePointCalls, WaveDeviceIds {
        final List<String> log = Collections.synchronizedList(new ArrayList<>());
        final List<ScriptedWaveIn> devices = new ArrayList<>();
        final List<Consumer<String>> disconnected = new ArrayList<>();
        String placeFailure;
        int lineGetIdError;
        int nextCall = 0x20001;

        @Override
        public synchronized PlacedCall place(RoutePointDial dial, Consumer<String> onDisconnected)
                throws RoutePointException {
            log.add("lineMakeCall " + dial.routePointExtension() + " for " + dial.callId());
            if (placeFailure != null) {
                throw new RoutePointException(placeFailure);
            }
            disconnected.add(onDisconnected);
            return new PlacedCall(0x10001, nextCall++);
        }

        @Override
        public synchronized void drop(PlacedCall call) {
            boolean waveClosed = devices.isEmpty() || devices.get(devices.size() - 1).closed
                    || devices.get(devices.size() - 1).failOpen != 0;
            log.add("lineDrop " + Integer.toHexString(call.hCall()) + (waveClosed ? " after wave closed" : " WAVE OPEN"));
        }

        @Override
        public synchronized int waveIn(PlacedCall call) throws RoutePointException {
            log.add("lineGetID " + Integer.toHexString(call.hCall()) + " wave/in");
            if (lineGetIdError != 0) {
                throw new RoutePointException("lineGetID(hCall " + call.hCall() + ", \"wave/in\") failed: LINEERR 0x"
                        + Integer.toHexString(lineGetIdError));
            }
            return 3 + devices.size();
        }

        /** The driver side: each call's device, opened through here. */
        final WaveInDriver driver = deviceId -> {
            ScriptedWaveIn d = new ScriptedWaveIn(WaveInCaptureTest.signal(SAMPLES * 64));
            synchronized (this) {
                devices.add(d);
            }
            return d.open(deviceId);
        };

        ScriptedWaveIn device(int i) {
            synchronized (this) {
                return devices.get(i);
            }
        }
    }

    static final class Events implements LegEvents {
        final CollectingSink sink = new CollectingSink();
        final List<String> dropped = Collections.synchronizedList(new ArrayList<>());

        @Override
        public PcmSink audio() {
            return sink;
        }

        @Override
        public void dropped(String reason) {
            dropped.add(reason);
        }
    }

    private final ScriptedTapi tapi = new ScriptedTapi();
    private final WinmmRoutePointTransport transport = new WinmmRoutePointTransport(tapi, tapi, tapi.driver, 4, BYTES);
    private final RoutePointDial dial = new RoutePointDial("5999", "c1", "2001", 1);

    @Test
    void theRoutePointCallsWaveDeviceIsRecordedAndReleasedBeforeTheCallIsDropped() throws Exception {
        Events events = new Events();
        RoutePointLeg leg = transport.dial(dial, events);
        ScriptedWaveIn dev = tapi.device(0);
        assertEquals(List.of("open 3", "prepare", "prepare", "prepare", "prepare", "add", "add", "add", "add", "start"),
                dev.callsSince(0));
        dev.completeInOrder(2);
        dev.signal();
        events.sink.awaitSamples(2 * SAMPLES);
        assertArrayEquals(Arrays.copyOf(WaveInCaptureTest.signal(SAMPLES * 64), 2 * SAMPLES), events.sink.audio());

        leg.hangUp();
        leg.hangUp();
        assertEquals(List.of("lineMakeCall 5999 for c1", "lineGetID 20001 wave/in", "lineDrop 20001 after wave closed"),
                tapi.log);
        assertTrue(events.dropped.isEmpty(), "a hang-up of ours is no drop");
    }

    @Test
    void thePbxEndingTheRoutePointCallIsReportedAsADropOnce() throws Exception {
        Events events = new Events();
        RoutePointLeg leg = transport.dial(dial, events);
        tapi.disconnected.get(0).accept("LINECALLSTATE_DISCONNECTED (LINEDISCONNECTMODE_NORMAL)");
        assertEquals(List.of("the PBX ended the Route Point call: LINECALLSTATE_DISCONNECTED (LINEDISCONNECTMODE_NORMAL)"),
                events.dropped);
        assertTrue(tapi.device(0).closed);
        tapi.disconnected.get(0).accept("again");
        leg.hangUp();
        assertEquals(1, events.dropped.size());
        assertEquals(1, tapi.log.stream().filter(s -> s.startsWith("lineDrop")).count());
    }

    @Test
    void aWaveDeviceFailureDropsTheLegAndTheCall() throws Exception {
        Events events = new Events();
        transport.dial(dial, events);
        ScriptedWaveIn dev = tapi.device(0);
        dev.failAddAfter = 4;
        dev.addFailure = MmResult.MMSYSERR_NODRIVER;
        dev.completeInOrder(1);
        dev.signal();
        waitFor(() -> !events.dropped.isEmpty());
        assertEquals(List.of("wave device failed: waveInAddBuffer failed: MMSYSERR_NODRIVER (6)"), events.dropped);
        waitFor(() -> tapi.log.size() == 3);
        assertEquals("lineDrop 20001 after wave closed", tapi.log.get(2));
    }

    @Test
    void aBusyWaveDeviceRefusesTheDialWithItsReasonAndDropsTheCall() {
        ScriptedTapi busy = new ScriptedTapi();
        WaveInDriver driver = id -> {
            ScriptedWaveIn d = new ScriptedWaveIn(new short[0]);
            d.failOpen = MmResult.MMSYSERR_ALLOCATED;
            busy.devices.add(d);
            return d.open(id);
        };
        WinmmRoutePointTransport t = new WinmmRoutePointTransport(busy, busy, driver, 4, BYTES);
        RoutePointException e = assertThrows(RoutePointException.class, () -> t.dial(dial, new Events()));
        assertEquals("waveInOpen(device 3, 8 kHz 16-bit mono) failed: MMSYSERR_ALLOCATED (4)", e.getMessage());
        assertEquals("lineDrop 20001 after wave closed", busy.log.get(2));
    }

    @Test
    void noWaveDeviceForTheCallRefusesTheDial() {
        tapi.lineGetIdError = 0x80000048;
        RoutePointException e = assertThrows(RoutePointException.class, () -> transport.dial(dial, new Events()));
        assertTrue(e.getMessage().contains("LINEERR 0x80000048"), e.getMessage());
        assertEquals(List.of("lineMakeCall 5999 for c1", "lineGetID 20001 wave/in", "lineDrop 20001 after wave closed"),
                tapi.log);
    }

    @Test
    void aRoutePointThatFailsToAnswerRefusesTheDial() {
        tapi.placeFailure = "LINEERR_CALLUNAVAIL: Route Point 5999 busy";
        RoutePointException e = assertThrows(RoutePointException.class, () -> transport.dial(dial, new Events()));
        assertEquals("LINEERR_CALLUNAVAIL: Route Point 5999 busy", e.getMessage());
    }

    /** The Route Point logic over the winmm transport: a device that fails mid-call is replaced, with a gap. */
    @Test
    void throughTheSessionADroppedWaveLegIsRedialledIntoTheSameRecording() throws Exception {
        AtomicLong clock = new AtomicLong();
        ManualScheduler scheduler = new ManualScheduler();
        RoutePointSessions sessions = new RoutePointSessions(
                new RoutePointPolicy("5999", 200, ConferenceExtensions.NONE, 3, 1000), transport, scheduler, clock::get);
        FakeRecording rec = new FakeRecording();
        CaptureSession session = sessions.start(Calls.request("c1", rec));
        ScriptedWaveIn first = tapi.device(0);
        first.completeInOrder(4);
        first.signal();
        waitFor(() -> rec.audio().length == 4 * SAMPLES);

        tapi.disconnected.get(0).accept("conference member left");
        clock.addAndGet(250_000_000L);
        scheduler.runDue();
        ScriptedWaveIn second = tapi.device(1);
        assertEquals("open 4", second.calls.get(0));
        second.completeInOrder(1);
        second.signal();
        waitFor(() -> rec.audio().length == 4 * SAMPLES + 2000 + SAMPLES);
        assertEquals(List.of(new GapMarker(0, 4 * SAMPLES, 2000, GapMarker.Reason.ROUTE_POINT_RECONNECT)), rec.gaps);
        session.stop();
        assertTrue(second.closed);
        assertEquals(0, sessions.stats().active());
    }
}
