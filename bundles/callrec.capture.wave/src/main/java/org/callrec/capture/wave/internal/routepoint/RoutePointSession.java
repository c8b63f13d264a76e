package org.callrec.capture.wave.internal.routepoint;

import org.callrec.api.audio.AudioFormat;
import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.audio.GapMarker;
import org.callrec.api.audio.PcmSink;
import org.callrec.api.call.CallEvent;
import org.callrec.api.call.CallEventType;
import org.callrec.api.capture.CaptureException;
import org.callrec.api.capture.CaptureRequest;
import org.callrec.api.capture.CaptureSession;
import org.callrec.api.storage.Recording;
import org.callrec.api.storage.RecordingStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Route Point of one recorded call: places the Route Point call, writes its mono audio to the
 * recording's channel 0, re-establishes a Route Point that drops (leaving a gap marker in the same
 * file), ends the audio with an explained status when a 4th party moves the call to a system
 * conference, and hangs up when the call ends.
 *
 * <p>The recording's clock starts at the Route Point's first sample. A Route Point leg counts its
 * own samples from 0; the session places them after what was already written. A gap spans the time
 * the Route Point was away, measured on the monotonic clock from the drop notice to the first
 * sample of the leg that replaced it, so the file stays on the call's time across the drop.
 *
 * <p>Transports call in from their own threads; the leg is always hung up outside the lock, as
 * a transport may wait there for its audio thread, which may be waiting for the lock.
 */
final class RoutePointSession implements CaptureSession {

    private static final Logger LOG = LoggerFactory.getLogger(RoutePointSession.class);

    private enum State { CONNECTING, STREAMING, RECONNECTING, ENDED }

    private final RoutePointSessions owner;
    private final CaptureRequest request;
    private final Recording recording;
    private final PcmSink out;
    private final String routePoint;
    private final String callLabel;

    private State state = State.CONNECTING;
    private Leg current;
    private long writtenEnd;
    private long droppedAtNanos = -1;
    private int redialAttempt;
    private Runnable cancelRedial;
    private boolean released;
    private int reconnects;

    RoutePointSession(RoutePointSessions owner, CaptureRequest request) {
        this.owner = owner;
        this.request = request;
        this.recording = request.recording();
        this.out = recording.channel(AudioFormat.USER_CHANNEL);
        this.routePoint = owner.policy.routePointExtension();
        this.callLabel = "call " + request.call().callId() + " on ext " + request.call().extension();
    }

    /** Places the first Route Point call; blocks until it carries audio or failed. */
    void connect() throws CaptureException {
        recording.annotate("routepoint.extension", routePoint);
        recording.annotate("routepoint.transport", owner.transport.name());
        Leg leg = new Leg();
        synchronized (this) {
            current = leg;
        }
        RoutePointLeg handle;
        try {
            handle = owner.transport.dial(dial(1), leg);
        } catch (RoutePointException | RuntimeException e) {
            synchronized (this) {
                current = null;
                state = State.ENDED;
                released = true;
            }
            String reason = "Route Point " + routePoint + " (" + owner.transport.name() + ") could not be connected to "
                    + callLabel + ": " + describe(e);
            owner.dialFailed(reason);
            LOG.warn("Route Point: {}", reason);
            throw new CaptureException(reason, e);
        }
        if (attach(leg, handle)) {
            LOG.info("Route Point {} connected to {} via {}", routePoint, callLabel, owner.transport.name());
        }
    }

    /** @return true if the leg is the session's current one; otherwise it was hung up */
    private boolean attach(Leg leg, RoutePointLeg handle) {
        boolean keep;
        synchronized (this) {
            leg.handle = handle;
            keep = current == leg && state != State.ENDED;
            if (keep) {
                state = State.STREAMING;
            }
        }
        if (!keep) {
            handle.hangUp();
        }
        return keep;
    }

    private RoutePointDial dial(int attempt) {
        return new RoutePointDial(routePoint, request.call().callId(), request.call().extension(), attempt);
    }

    @Override
    public void update(CallEvent event) {
        if (event.type() != CallEventType.CONFERENCED) {
            return;
        }
        String party = event.parties().connected() != null ? event.parties().connected() : event.parties().called();
        if (!owner.policy.conferenceExtensions().contains(party)) {
            return;
        }
        String at;
        synchronized (this) {
            if (state == State.ENDED) {
                return;
            }
            at = clock(writtenEnd);
        }
        String reason = "Route Point audio ended at " + at + ": a 4th party joined and the PBX moved the call to "
                + "system conference extension " + party.trim() + ", which a Route Point cannot record (PBX behaviour); "
                + "the users stay OnPhone";
        if (endAudio(reason)) {
            owner.conferenceEnded();
            LOG.info("Route Point: {}: {}", callLabel, reason);
        }
    }

    @Override
    public void stop() {
        RoutePointLeg hang;
        synchronized (this) {
            if (state == State.ENDED) {
                hang = null;
            } else {
                if (droppedAtNanos >= 0) {
                    // The call ended while the Route Point was away: the file still covers the call.
                    long gap = samples(owner.nanoClock.getAsLong() - droppedAtNanos);
                    if (gap > 0) {
                        out.gap(new GapMarker(AudioFormat.USER_CHANNEL, writtenEnd, gap,
                                GapMarker.Reason.ROUTE_POINT_RECONNECT));
                        writtenEnd += gap;
                    }
                    droppedAtNanos = -1;
                }
                hang = detach();
            }
        }
        if (hang != null) {
            hang.hangUp();
        }
        releaseOnce();
    }

    /** Ends the Route Point audio before the call ends and closes the recording with the reason. */
    private boolean endAudio(String reason) {
        RoutePointLeg hang;
        synchronized (this) {
            if (state == State.ENDED) {
                return false;
            }
            hang = detach();
        }
        if (hang != null) {
            hang.hangUp();
        }
        recording.annotate("routepoint.end", reason);
        recording.close(RecordingStatus.COMPLETE, reason);
        releaseOnce();
        return true;
    }

    /** Under the lock: no leg counts any more, no re-dial will run. */
    private RoutePointLeg detach() {
        state = State.ENDED;
        if (cancelRedial != null) {
            cancelRedial.run();
            cancelRedial = null;
        }
        Leg leg = current;
        current = null;
        return leg == null ? null : leg.handle;
    }

    private void releaseOnce() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        if (reconnects > 0) {
            recording.annotate("routepoint.reconnects", Integer.toString(reconnects));
        }
        owner.release(this);
    }

    private void legDropped(Leg leg, String reason) {
        RoutePointLeg hang;
        boolean giveUp = false;
        String at;
        synchronized (this) {
            if (leg != current || state == State.ENDED) {
                return;
            }
            current = null;
            hang = leg.handle;
            state = State.RECONNECTING;
            if (droppedAtNanos < 0) {
                droppedAtNanos = owner.nanoClock.getAsLong();
            }
            at = clock(writtenEnd);
            if (owner.policy.redialAttempts() > 0) {
                scheduleRedial(1);
            } else {
                giveUp = true;
            }
        }
        owner.dropped("Route Point dropped on " + callLabel + ": " + reason);
        LOG.warn("Route Point {} dropped on {} at {}: {}; {}", routePoint, callLabel, at, reason,
                giveUp ? "not re-established (routePointRedialAttempts=0)" : "calling it again");
        if (hang != null) {
            hang.hangUp();
        }
        if (giveUp) {
            giveUp("Route Point dropped at " + at + " (" + reason + ") and re-establishing it is disabled");
        }
    }

    /** Under the lock. */
    private void scheduleRedial(int attempt) {
        redialAttempt = attempt;
        cancelRedial = owner.scheduler.schedule(() -> redial(attempt), owner.policy.redialDelayMillis());
    }

    private void redial(int attempt) {
        Leg leg = new Leg();
        synchronized (this) {
            if (state != State.RECONNECTING || redialAttempt != attempt) {
                return;
            }
            cancelRedial = null;
            current = leg;
        }
        RoutePointLeg handle;
        try {
            handle = owner.transport.dial(dial(attempt + 1), leg);
        } catch (RoutePointException | RuntimeException e) {
            String reason = describe(e);
            owner.dialFailed("Route Point " + routePoint + " could not be re-established on " + callLabel + ": " + reason);
            boolean giveUp;
            synchronized (this) {
                if (current != leg || state == State.ENDED) {
                    return;
                }
                current = null;
                giveUp = attempt >= owner.policy.redialAttempts();
                if (!giveUp) {
                    scheduleRedial(attempt + 1);
                }
            }
            LOG.warn("Route Point {}: attempt {} of {} to re-establish it on {} failed: {}", routePoint, attempt,
                    owner.policy.redialAttempts(), callLabel, reason);
            if (giveUp) {
                String at;
                synchronized (this) {
                    at = clock(writtenEnd);
                }
                giveUp("Route Point dropped at " + at + " and could not be re-established after " + attempt
                        + (attempt == 1 ? " attempt" : " attempts") + " (last: " + reason + ")");
            }
            return;
        }
        if (attach(leg, handle)) {
            synchronized (this) {
                reconnects++;
                redialAttempt = 0;
            }
            owner.reconnected();
            LOG.info("Route Point {} re-established on {} (attempt {})", routePoint, callLabel, attempt);
        }
    }

    private void giveUp(String reason) {
        if (endAudio(reason)) {
            owner.gaveUp(callLabel + ": " + reason);
            LOG.warn("Route Point: {}: {}", callLabel, reason);
        }
    }

    /** Under the lock: where the leg's sample 0 goes; fixed at its first audio. */
    private long place(Leg leg) {
        if (leg.start < 0) {
            leg.start = writtenEnd;
            if (droppedAtNanos >= 0) {
                long gap = samples(owner.nanoClock.getAsLong() - droppedAtNanos);
                if (gap > 0) {
                    out.gap(new GapMarker(AudioFormat.USER_CHANNEL, writtenEnd, gap,
                            GapMarker.Reason.ROUTE_POINT_RECONNECT));
                }
                leg.start = writtenEnd + gap;
                writtenEnd = leg.start;
                droppedAtNanos = -1;
            }
        }
        return leg.start;
    }

    private synchronized void legPcm(Leg leg, long pos, short[] samples, int offset, int length) {
        if (leg != current || state == State.ENDED || length <= 0) {
            return; // late audio of a leg that was dropped or replaced
        }
        long at = place(leg) + pos;
        out.pcm(at, samples, offset, length);
        writtenEnd = Math.max(writtenEnd, at + length);
    }

    private synchronized void legGap(Leg leg, GapMarker g) {
        if (leg != current || state == State.ENDED) {
            return;
        }
        long at = place(leg) + g.startSample();
        out.gap(new GapMarker(AudioFormat.USER_CHANNEL, at, g.samples(), g.reason()));
        writtenEnd = Math.max(writtenEnd, at + g.samples());
    }

    private synchronized void legArrived(Leg leg) {
        if (leg == current && state != State.ENDED) {
            place(leg);
        }
    }

    private synchronized void legDtmf(Leg leg, DtmfEvent e) {
        if (leg != current || state == State.ENDED) {
            return;
        }
        out.dtmf(new DtmfEvent(AudioFormat.USER_CHANNEL, e.digit(), place(leg) + e.startSample(),
                e.durationSamples(), e.volume()));
    }

    private static long samples(long nanos) {
        return Math.max(0, nanos) / (1_000_000_000L / AudioFormat.SAMPLE_RATE);
    }

    private static String clock(long samples) {
        long tenths = samples / (AudioFormat.SAMPLE_RATE / 10);
        return String.format("%d:%02d.%d", tenths / 600, (tenths / 10) % 60, tenths % 10);
    }

    private static String describe(Exception e) {
        return e instanceof RoutePointException ? e.getMessage() : "transport error: " + e;
    }

    /** One Route Point call; its audio counts only while it is the session's current leg. */
    private final class Leg implements LegEvents, PcmSink {
        volatile RoutePointLeg handle;
        long start = -1;

        @Override
        public PcmSink audio() {
            return this;
        }

        @Override
        public void dropped(String reason) {
            legDropped(this, reason);
        }

        @Override
        public void pcm(long samplePosition, short[] samples, int offset, int length) {
            legPcm(this, samplePosition, samples, offset, length);
        }

        @Override
        public void gap(GapMarker gap) {
            legGap(this, gap);
        }

        @Override
        public void dtmf(DtmfEvent event) {
            legDtmf(this, event);
        }

        @Override
        public void audioArrived() {
            legArrived(this);
        }
    }
}
