package org.callrec.capture.wave.internal.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.callrec.api.rtp.Playout;
import org.callrec.api.rtp.PlayoutFactory;
import org.callrec.capture.wave.internal.routepoint.LegEvents;
import org.callrec.capture.wave.internal.routepoint.RoutePointDial;
import org.callrec.capture.wave.internal.routepoint.RoutePointException;
import org.callrec.capture.wave.internal.routepoint.RoutePointLeg;
import org.callrec.capture.wave.internal.routepoint.RoutePointTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Route Point over SIP/RTP: the recorder's user agent calls the Route Point extension at the
 * PBX, receives its RTP on a port of the local range and plays it out by timestamp through
 * callrec.rtp into the leg's sink. Each leg runs its dialog state machine on one thread of its own,
 * fed by the stack's events, a 100 ms tick and notices from the RTP receiver.
 */
public final class SipRoutePointTransport implements RoutePointTransport {

    private static final Logger LOG = LoggerFactory.getLogger(SipRoutePointTransport.class);
    private static final long TICK_MILLIS = 100;

    private final SipRoutePointSettings settings;
    private final SipUserAgent ua;
    private final PlayoutFactory playouts;
    private final RtpPortPool ports;
    private final ScheduledExecutorService ticker;

    /**
     * @param settings SIP settings
     * @param ua the SIP user agent
     * @param playouts RTP play-out (callrec.rtp)
     * @param ports the local RTP port range
     * @param ticker drives the dialogs' timers
     */
    public SipRoutePointTransport(SipRoutePointSettings settings, SipUserAgent ua, PlayoutFactory playouts,
            RtpPortPool ports, ScheduledExecutorService ticker) {
        this.settings = settings;
        this.ua = ua;
        this.playouts = playouts;
        this.ports = ports;
        this.ticker = ticker;
    }

    @Override
    public String name() {
        return "sip";
    }

    @Override
    public RoutePointLeg dial(RoutePointDial dial, LegEvents events) throws RoutePointException {
        DatagramSocket socket = ports.open();
        Leg leg = new Leg(dial, events, socket);
        String uri = "sip:" + dial.routePointExtension() + "@" + settings.pbxAddress() + ":" + settings.pbxPort()
                + ";transport=" + settings.transport();
        String offer = RouteSdp.offer(ua.localAddress(), socket.getLocalPort(), ThreadLocalRandom.current().nextLong(1,
                Long.MAX_VALUE));
        leg.invite = new RoutePointInvite(dial.routePointExtension(), uri, settings,
                Long.toHexString(ThreadLocalRandom.current().nextLong()), leg);
        try {
            leg.call = ua.newCall(uri, offer, leg);
        } catch (RuntimeException e) {
            leg.hangUp();
            throw new RoutePointException("the SIP user agent could not create the call: " + e, e);
        }
        // The tick exists before anything can end the leg, so release() always finds it to cancel.
        leg.tick = ticker.scheduleAtFixedRate(() -> leg.post(() -> leg.invite.tick(now())), TICK_MILLIS, TICK_MILLIS,
                TimeUnit.MILLISECONDS);
        leg.post(() -> leg.invite.start(now()));
        long wait = settings.answerTimeoutMillis() + settings.firstRtpTimeoutMillis() + 40_000;
        String failure;
        try {
            failure = leg.established.get(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted while calling the Route Point";
        } catch (ExecutionException | TimeoutException e) {
            failure = "the SIP dialog did not conclude within " + wait / 1000 + " s";
        }
        if (failure != null) {
            leg.hangUp();
            throw new RoutePointException(failure);
        }
        return leg;
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    private final class Leg implements RoutePointLeg, RoutePointInvite.Port, SipUserAgent.Events {
        private final RoutePointDial dial;
        private final LegEvents events;
        private final DatagramSocket socket;
        private final ExecutorService serial;
        private final AtomicBoolean released = new AtomicBoolean();
        final CompletableFuture<String> established = new CompletableFuture<>();
        volatile RoutePointInvite invite;
        volatile SipUserAgent.Call call;
        volatile ScheduledFuture<?> tick;
        private volatile Thread receiver;
        private volatile long lastNotice;

        Leg(RoutePointDial dial, LegEvents events, DatagramSocket socket) {
            this.dial = dial;
            this.events = events;
            this.socket = socket;
            this.serial = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "callrec-sip-routepoint-" + dial.callId());
                t.setDaemon(true);
                return t;
            });
        }

        void post(Runnable r) {
            try {
                serial.execute(r);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the leg is over; late stack events and ticks have nothing to change
            }
        }

        // stack -> state machine
        @Override
        public void response(int status, String reasonPhrase, String challenge, String sdp) {
            post(() -> invite.response(now(), status, reasonPhrase, challenge, sdp));
        }

        @Override
        public void byeReceived() {
            post(() -> invite.byeReceived(now()));
        }

        // state machine -> stack and transport
        @Override
        public void sendInvite(int cseq, String authHeader, String authValue) {
            call.sendInvite(cseq, authHeader, authValue);
        }

        @Override
        public void sendAck(int cseq) {
            call.sendAck(cseq);
        }

        @Override
        public void sendCancel() {
            call.sendCancel();
        }

        @Override
        public void sendBye() {
            call.sendBye();
        }

        @Override
        public void answered(RouteSdp.Answer answer) {
            Playout playout = playouts.open(answer.formats(), 0, events.audio());
            Thread t = new Thread(() -> receive(playout), "callrec-rtp-routepoint-" + dial.callId());
            t.setDaemon(true);
            receiver = t;
            t.start();
            LOG.debug("Route Point {} for call {} answered: {} from {}:{}", dial.routePointExtension(), dial.callId(),
                    answer.format().encoding(), answer.address(), answer.port());
        }

        @Override
        public void streaming() {
            established.complete(null);
        }

        @Override
        public void failed(String reason) {
            established.complete(reason);
        }

        @Override
        public void dropped(String reason) {
            // On the dialog's thread, after the state machine handed any BYE to the stack.
            if (release()) {
                events.dropped(reason);
            }
        }

        /** The RTP receiver: the only thread that touches the play-out. */
        private void receive(Playout playout) {
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            boolean arrived = false;
            try {
                socket.setSoTimeout((int) TICK_MILLIS);
                while (!socket.isClosed()) {
                    try {
                        socket.receive(p);
                    } catch (SocketTimeoutException e) {
                        playout.advance(System.nanoTime());
                        continue;
                    }
                    long t = System.nanoTime();
                    if (!arrived) {
                        arrived = true;
                        events.audioArrived(); // before the play-out's reorder delay
                    }
                    playout.offer(buf, 0, p.getLength(), t);
                    playout.advance(t);
                    if (t - lastNotice >= TICK_MILLIS * 1_000_000) {
                        lastNotice = t;
                        post(() -> invite.rtp(now()));
                    }
                }
            } catch (SocketException e) {
                // closed by release(): the leg is over
            } catch (IOException e) {
                LOG.warn("Route Point call {}: RTP receive failed: {}", dial.callId(), e.toString());
            } finally {
                playout.close();
            }
        }

        @Override
        public void hangUp() {
            if (released.get()) {
                return;
            }
            CompletableFuture<Void> sent = new CompletableFuture<>();
            post(() -> {
                invite.hangUp(now());
                sent.complete(null);
            });
            if (serial.isShutdown()) {
                sent.complete(null);
            }
            try {
                sent.get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("Route Point call {}: hang-up not confirmed: {}", dial.callId(), e.toString());
            }
            release();
        }

        /** Once: stop the timers, the RTP receiver (its play-out flushes) and the dialog's thread, free the port. */
        private boolean release() {
            if (!released.compareAndSet(false, true)) {
                return false;
            }
            ScheduledFuture<?> t = tick;
            if (t != null) {
                t.cancel(false);
            }
            ports.close(socket);
            Thread r = receiver;
            if (r != null && r != Thread.currentThread()) {
                try {
                    r.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            serial.shutdown();
            established.complete("the Route Point call ended while it was being set up");
            return true;
        }
    }
}
