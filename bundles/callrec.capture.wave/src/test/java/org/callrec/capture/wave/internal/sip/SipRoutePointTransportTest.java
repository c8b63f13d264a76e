package org.callrec.capture.wave.internal.sip;

import static org.callrec.capture.wave.internal.routepoint.Await.waitFor;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.audio.GapMarker;
import org.callrec.api.audio.PcmSink;
import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.rtp.PlayoutFactory;
import org.callrec.capture.wave.internal.routepoint.LegEvents;
import org.callrec.capture.wave.internal.routepoint.RoutePointDial;
import org.callrec.capture.wave.internal.routepoint.RoutePointException;
import org.callrec.capture.wave.internal.routepoint.RoutePointLeg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SIP transport against a scripted Route Point: real UDP RTP on loopback, the dialog on the
 * scripted SIP seam, and a stand-in play-out (the real one is callrec.rtp's) that writes each
 * packet's first payload byte as its samples, so order and arrival can be checked.
 */
class SipRoutePointTransportTest {

    private final ScriptedRoutePointPeer peer = new ScriptedRoutePointPeer();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final RtpPortPool ports = new RtpPortPool(InetAddress.getLoopbackAddress(), 41000, 41010);
    final List<List<PayloadFormat>> opened = Collections.synchronizedList(new ArrayList<>());
    final List<String> playoutCalls = Collections.synchronizedList(new ArrayList<>());

    /** A play-out stand-in built as a proxy, so it fits the Playout API whatever its version adds. */
    private final PlayoutFactory playouts = (PlayoutFactory) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {PlayoutFactory.class}, (proxy, method, args) -> {
                if (!method.getName().equals("open")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                @SuppressWarnings("unchecked")
                List<PayloadFormat> formats = (List<PayloadFormat>) args[0];
                opened.add(formats);
                PcmSink sink = (PcmSink) args[args.length == 3 ? 2 : 3];
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {org.callrec.api.rtp.Playout.class},
                        (p, m, a) -> {
                            switch (m.getName()) {
                                case "offer" -> {
                                    byte[] pkt = (byte[]) a[0];
                                    int seq = ((pkt[2] & 0xff) << 8) | (pkt[3] & 0xff);
                                    short[] samples = new short[160];
                                    java.util.Arrays.fill(samples, (short) pkt[12]);
                                    sink.pcm(seq * 160L, samples, 0, samples.length);
                                }
                                case "close" -> playoutCalls.add("close");
                                default -> {
                                }
                            }
                            return null;
                        });
            });

    final class Events implements LegEvents, PcmSink {
        final List<String> dropped = Collections.synchronizedList(new ArrayList<>());
        volatile long samples;
        volatile long expectedNext;
        volatile boolean inOrder = true;

        @Override
        public PcmSink audio() {
            return this;
        }

        @Override
        public void dropped(String reason) {
            dropped.add(reason);
        }

        @Override
        public synchronized void pcm(long pos, short[] s, int offset, int length) {
            inOrder &= pos == expectedNext && s[offset] == (short) (byte) (pos / 160);
            expectedNext = pos + length;
            samples += length;
        }

        @Override
        public void gap(GapMarker gap) {
        }

        @Override
        public void dtmf(DtmfEvent event) {
        }
    }

    private SipRoutePointTransport transport(String user, String password, long answerMillis) {
        return new SipRoutePointTransport(new SipRoutePointSettings("127.0.0.1", 5060, "udp", user, password, 41000,
                41010, answerMillis, 2_000, 1_000), peer, playouts, ports, ticker);
    }

    private final RoutePointDial dial = new RoutePointDial("5999", "c1", "2001", 1);

    @AfterEach
    void tearDown() {
        peer.shutdown();
        ticker.shutdownNow();
    }

    @Test
    void callsTheRoutePointWithDigestAuthAndPlaysItsRtpOutUntilWeHangUp() throws Exception {
        peer.then("401").then("200");
        Events events = new Events();
        RoutePointLeg leg = transport("rec", "pw", 5_000).dial(dial, events);
        assertTrue(events.samples > 0, "dial returns once RTP flows");
        assertEquals(List.of(List.of(PayloadFormat.PCMU)), opened);
        assertEquals(1, ports.inUse());
        waitFor(() -> events.samples >= 10 * 160);
        leg.hangUp();
        assertTrue(events.inOrder);
        assertEquals(List.of("dialog sip:5999@127.0.0.1:5060;transport=udp", "INVITE 1", "INVITE 2 Authorization",
                "ACK 2", "BYE"), peer.received);
        assertEquals(List.of("close"), playoutCalls, "the play-out is flushed and closed");
        assertEquals(0, ports.inUse(), "the RTP port is free again");
        assertTrue(events.dropped.isEmpty());
    }

    @Test
    void aBusyRoutePointFailsTheDialWithTheReason() {
        peer.then("486");
        RoutePointException e = assertThrows(RoutePointException.class,
                () -> transport("", "", 5_000).dial(dial, new Events()));
        assertEquals("Route Point 5999 busy (486 Busy Here): all its ports are in use", e.getMessage());
        assertEquals(0, ports.inUse());
    }

    @Test
    void aRoutePointThatNeverAnswersIsCancelledAfterTheTimeout() {
        peer.then("silent");
        RoutePointException e = assertThrows(RoutePointException.class,
                () -> transport("", "", 300).dial(dial, new Events()));
        assertEquals("Route Point 5999 did not answer within 0 s (timeout)", e.getMessage());
        assertTrue(peer.received.contains("CANCEL"));
    }

    @Test
    void anAnswerWithoutRtpFailsTheDial() {
        peer.sendRtp = false;
        RoutePointException e = assertThrows(RoutePointException.class,
                () -> transport("", "", 5_000).dial(dial, new Events()));
        assertEquals("no RTP from Route Point 5999 within 2 s after it answered", e.getMessage());
        assertEquals("BYE", peer.received.get(peer.received.size() - 1));
    }

    @Test
    void aByeFromThePbxDropsTheLegOnce() throws Exception {
        Events events = new Events();
        RoutePointLeg leg = transport("", "", 5_000).dial(dial, events);
        peer.bye();
        waitFor(() -> !events.dropped.isEmpty());
        assertEquals(List.of("Route Point 5999 hung up (BYE)"), events.dropped);
        leg.hangUp();
        assertEquals(1, events.dropped.size());
        assertEquals(0, ports.inUse());
        assertFalse(peer.received.contains("BYE"), "no BYE of ours after the PBX's");
    }

    @Test
    void rtpThatStopsDropsTheLegWithTheReason() throws Exception {
        peer.rtpPackets = 10;
        Events events = new Events();
        transport("", "", 5_000).dial(dial, events);
        waitFor(() -> !events.dropped.isEmpty());
        assertEquals(List.of("RTP from Route Point 5999 stopped for 1 s"), events.dropped);
        assertEquals(0, ports.inUse());
    }

    @Test
    void theRtpPortRangeIsHandedOutAndExhaustedWithAClearError() throws Exception {
        RtpPortPool small = new RtpPortPool(InetAddress.getLoopbackAddress(), 41100, 41103);
        var a = small.open();
        var b = small.open();
        assertEquals(41100, a.getLocalPort());
        assertEquals(41102, b.getLocalPort());
        RoutePointException e = assertThrows(RoutePointException.class, small::open);
        assertTrue(e.getMessage().startsWith("no free local RTP port in rtpPorts=41100-41103 (2 in use"), e.getMessage());
        small.close(a);
        assertEquals(41100, small.open().getLocalPort());
    }
    /** The Route Point logic over SIP: the PBX hangs the Route Point up mid-call, it is called again, one file with a gap. */
    @Test
    void throughTheSessionARoutePointByeIsRedialledIntoTheSameRecordingWithAGap() throws Exception {
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
        org.callrec.capture.wave.internal.routepoint.ManualScheduler scheduler =
                new org.callrec.capture.wave.internal.routepoint.ManualScheduler();
        org.callrec.capture.wave.internal.routepoint.RoutePointSessions sessions =
                new org.callrec.capture.wave.internal.routepoint.RoutePointSessions(
                        new org.callrec.capture.wave.internal.routepoint.RoutePointPolicy("5999", 200,
                                org.callrec.capture.wave.internal.routepoint.ConferenceExtensions.NONE, 3, 1000),
                        transport("", "", 5_000), scheduler, clock::get);
        org.callrec.capture.wave.internal.routepoint.FakeRecording rec =
                new org.callrec.capture.wave.internal.routepoint.FakeRecording();
        org.callrec.api.capture.CaptureSession session = sessions.start(
                org.callrec.capture.wave.internal.routepoint.Calls.request("c1", rec));
        waitFor(() -> rec.audio().length >= 5 * 160);
        peer.bye();
        waitFor(() -> scheduler.pending() == 1);
        int firstLeg = rec.audio().length;
        clock.addAndGet(1_000_000_000L);
        scheduler.runDue();
        waitFor(() -> rec.audio().length > firstLeg + 8000);
        assertEquals(List.of(new GapMarker(0, firstLeg, 8000, GapMarker.Reason.ROUTE_POINT_RECONNECT)), rec.gaps);
        assertTrue(rec.writes.stream().anyMatch(w -> w[0] == firstLeg + 8000), "the new leg starts right after the gap");
        assertEquals(2, peer.received.stream().filter(m -> m.startsWith("INVITE")).count());
        session.stop();
        assertNull(rec.closedWith, "one recording throughout; the recorder closes it");
        assertEquals(0, ports.inUse());
        assertEquals(1, sessions.stats().reconnects());
    }
}
