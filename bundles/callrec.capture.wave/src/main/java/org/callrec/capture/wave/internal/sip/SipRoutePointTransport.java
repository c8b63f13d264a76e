package org.callrec.capture.wave.internal.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
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

import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.audio.GapMarker;
import org.callrec.api.audio.PcmSink;
import org.callrec.api.rtp.PayloadFormat;
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
    private final java.util.concurrent.atomic.AtomicInteger legs;

    /**
     * @param settings SIP settings
     * @param ua the SIP user agent
     * @param playouts RTP play-out (callrec.rtp)
     * @param ports the local RTP port range
     * @param ticker drives the dialogs' timers
     */
    public SipRoutePointTransport(SipRoutePointSettings settings, SipUserAgent ua, PlayoutFactory playouts,
            RtpPortPool ports, ScheduledExecutorService ticker) {
        this(settings, ua, playouts, ports, ticker, new java.util.concurrent.atomic.AtomicInteger());
    }

    /**
     * @param settings SIP settings
     * @param ua the SIP user agent
     * @param playouts RTP play-out (callrec.rtp)
     * @param ports the local RTP port range
     * @param ticker drives the dialogs' timers
     * @param legs counts the legs of every transport on this user agent (one per settings change)
     */
    public SipRoutePointTransport(SipRoutePointSettings settings, SipUserAgent ua, PlayoutFactory playouts,
            RtpPortPool ports, ScheduledExecutorService ticker, java.util.concurrent.atomic.AtomicInteger legs) {
        this.legs = legs;
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
        legs.incrementAndGet();
        String uri = requestUri(dial.routePointExtension());
        leg.sessionId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
        leg.sdpVersion.set(leg.sessionId);
        String offer = RouteSdp.offer(ua.localAddress(), socket.getLocalPort(), leg.sessionId);
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

    /**
     * The Route Point's URI: over TLS a sips URI (RFC 3261 26.2; RFC 5630 deprecates transport=tls),
     * else a sip URI naming the transport.
     */
    String requestUri(String extension) {
        String host = settings.pbxAddress().contains(":") ? "[" + settings.pbxAddress() + "]" : settings.pbxAddress();
        return "tls".equals(settings.transport()) ? "sips:" + extension + "@" + host + ":" + settings.pbxPort()
                : "sip:" + extension + "@" + host + ":" + settings.pbxPort() + ";transport=" + settings.transport();
    }

    /** @return the settings this transport dials with */
    public SipRoutePointSettings settings() {
        return settings;
    }

    /** @return Route Point legs on this transport's user agent still connected or being set up */
    public int legs() {
        return legs.get();
    }

    /** @return the counter of legs on this user agent, for the next transport over it */
    public java.util.concurrent.atomic.AtomicInteger legCounter() {
        return legs;
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
        long sessionId;
        final java.util.concurrent.atomic.AtomicLong sdpVersion = new java.util.concurrent.atomic.AtomicLong();
        /** The PBX sends no audio now (hold); the RTP receiver marks the time until it does again. */
        private volatile boolean held;
        private volatile List<PayloadFormat> formats;
        private String direction = "sendonly";
        private volatile String answerSdp;

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
            if (status >= 200 && status < 300 && sdp != null && answerSdp == null) {
                answerSdp = sdp;
            }
            post(() -> invite.response(now(), status, reasonPhrase, challenge, sdp));
        }

        @Override
        public void byeReceived() {
            post(() -> invite.byeReceived(now()));
        }

        @Override
        public void transportFailed(String reason) {
            post(() -> invite.transportFailed(now(), reason));
        }

        @Override
        public synchronized String offerReceived(String sdp) {
            RouteSdp.Offer offer = RouteSdp.parseOffer(sdp);
            if (formats == null) {
                throw new IllegalArgumentException("the Route Point call is not established yet");
            }
            String answer = RouteSdp.answer(ua.localAddress(), socket.getLocalPort(), sessionId,
                    sdpVersion.incrementAndGet(), offer);
            apply(offer);
            return answer;
        }

        @Override
        public synchronized String offerWanted() {
            if (formats == null) {
                throw new IllegalArgumentException("the Route Point call is not established yet");
            }
            return RouteSdp.offer(ua.localAddress(), socket.getLocalPort(), sessionId, sdpVersion.incrementAndGet());
        }

        @Override
        public synchronized void answerReceived(String sdp) {
            try {
                apply(RouteSdp.parseOffer(sdp));
            } catch (IllegalArgumentException e) {
                LOG.warn("Route Point call {}: the PBX's answer in its ACK cannot be used ({}); keeping the session as "
                        + "it was", dial.callId(), e.getMessage());
            }
        }

        /**
         * Under the lock: the new session state. Hold is what RFC 3264 8.4 describes: the PBX no
         * longer sends (inactive, recvonly, c=0.0.0.0, stream removed), or it turns a sendrecv
         * stream into sendonly; a codec change needs nothing here, as the play-out decodes each
         * packet by its payload type.
         */
        private void apply(RouteSdp.Offer offer) {
            boolean hold = !offer.sends() || ("sendonly".equals(offer.direction()) && "sendrecv".equals(direction));
            if (offer.port() != 0 && !offer.holdAddress()) {
                direction = offer.direction();
            }
            List<PayloadFormat> merged = new ArrayList<>(formats);
            for (PayloadFormat f : offer.formats()) {
                if (merged.stream().noneMatch(m -> m.payloadType() == f.payloadType())) {
                    merged.add(f);
                }
            }
            if (merged.size() > formats.size()) { // kept otherwise: the receive loop compares by identity
                formats = List.copyOf(merged);
            }
            held = hold;
            LOG.info("Route Point call {}: the PBX re-INVITEd: {} (offer {}, codecs {})", dial.callId(),
                    hold ? "on hold" : "audio flows", offer.holdAddress() ? "c=0.0.0.0" : offer.direction(),
                    offer.formats().stream().map(PayloadFormat::encoding).toList());
            post(() -> invite.media(now(), hold));
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
            synchronized (this) {
                formats = answer.formats();
                try {
                    direction = RouteSdp.parseOffer(answerSdp).direction();
                } catch (RuntimeException e) {
                    direction = "sendonly"; // parseAnswer accepted it; the direction only tells hold apart
                }
            }
            Thread t = new Thread(this::receive, "callrec-rtp-routepoint-" + dial.callId());
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

        /**
         * The RTP receiver: the only thread that touches the play-out. While the PBX holds the
         * call and its RTP has stopped, the play-out is flushed and closed; when RTP comes back the
         * time away is written as a HOLD gap and a new play-out continues the leg's clock where
         * real time says, so the file keeps the call's timing across the hold.
         */
        private void receive() {
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            boolean arrived = false;
            LegSink sink = new LegSink(events.audio());
            List<PayloadFormat> open = formats;
            Playout playout = playouts.open(open, 0, sink);
            long originNanos = -1; // arrival of the first packet: the leg's sample 0 in real time
            long lastArrival = -1;
            boolean paused = false;
            try {
                socket.setSoTimeout((int) TICK_MILLIS);
                while (!socket.isClosed()) {
                    try {
                        socket.receive(p);
                    } catch (SocketTimeoutException e) {
                        long now = System.nanoTime();
                        if (!paused && held && lastArrival >= 0 && now - lastArrival >= 2 * TICK_MILLIS * 1_000_000) {
                            playout.close(); // plays out what is buffered: the audio before the hold is whole
                            paused = true;
                        } else if (!paused) {
                            playout.advance(now);
                        }
                        continue;
                    }
                    long t = System.nanoTime();
                    if (!arrived) {
                        arrived = true;
                        originNanos = t;
                        events.audioArrived(); // before the play-out's reorder delay
                    }
                    List<PayloadFormat> now = formats;
                    if (paused || (now != open && !open.containsAll(now))) {
                        // back from hold (or a payload type the play-out was not told of): continue
                        // where real time says, the time away marked as a gap
                        if (!paused) {
                            playout.close();
                        }
                        long at = Math.max(sink.end, (t - originNanos) / 125_000);
                        if (at > sink.end) {
                            sink.gap(new GapMarker(0, sink.end, at - sink.end, paused ? GapMarker.Reason.HOLD
                                    : GapMarker.Reason.RESYNC));
                        }
                        open = now;
                        playout = playouts.open(open, at, sink);
                        paused = false;
                    }
                    lastArrival = t;
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
                if (!paused) {
                    playout.close();
                }
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
            legs.decrementAndGet();
            return true;
        }
    }

    /** Passes the leg's audio on and keeps where it ends (the play-out's position of the last sample). */
    private static final class LegSink implements PcmSink {
        private final PcmSink out;
        volatile long end;

        LegSink(PcmSink out) {
            this.out = out;
        }

        @Override
        public void pcm(long samplePosition, short[] samples, int offset, int length) {
            out.pcm(samplePosition, samples, offset, length);
            end = Math.max(end, samplePosition + length);
        }

        @Override
        public void gap(GapMarker gap) {
            out.gap(gap);
            end = Math.max(end, gap.startSample() + gap.samples());
        }

        @Override
        public void dtmf(DtmfEvent event) {
            out.dtmf(event);
        }
    }
}
