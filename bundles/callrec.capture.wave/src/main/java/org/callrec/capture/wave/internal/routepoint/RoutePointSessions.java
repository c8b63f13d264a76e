package org.callrec.capture.wave.internal.routepoint;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.callrec.api.call.CallOrigin;
import org.callrec.api.capture.CaptureException;
import org.callrec.api.capture.CaptureRequest;
import org.callrec.api.capture.CaptureSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All Route Point sessions of this recording server: admits a recorded call if a session is free
 * (the PBX allows a fixed number of simultaneous Route Point recordings per Remote Server), places
 * the Route Point call through the transport, and counts what happens. Plain Java; shared by both
 * transports.
 */
public final class RoutePointSessions {

    private static final Logger LOG = LoggerFactory.getLogger(RoutePointSessions.class);

    final RoutePointPolicy policy;
    final RoutePointTransport transport;
    final Scheduler scheduler;
    final LongSupplier nanoClock;
    private final java.util.function.IntSupplier heldElsewhere;

    private final Map<String, RoutePointSession> active = new ConcurrentHashMap<>();
    private int reserved;
    private long started;
    private long capacityRefusals;
    private long dialFailures;
    private long drops;
    private long reconnects;
    private long conferenceEnds;
    private long givenUp;
    private String lastProblem;

    /**
     * @param policy the settings
     * @param transport how the Route Point is reached
     * @param scheduler runs re-dials
     * @param nanoClock monotonic nanoseconds (gap lengths are measured on it)
     */
    public RoutePointSessions(RoutePointPolicy policy, RoutePointTransport transport, Scheduler scheduler,
            LongSupplier nanoClock) {
        this(policy, transport, scheduler, nanoClock, () -> 0);
    }

    /**
     * @param policy the settings
     * @param transport how the Route Point is reached
     * @param scheduler runs re-dials
     * @param nanoClock monotonic nanoseconds (gap lengths are measured on it)
     * @param heldElsewhere Route Point sessions still running under an earlier configuration: the
     *        PBX counts them against the same limit
     */
    public RoutePointSessions(RoutePointPolicy policy, RoutePointTransport transport, Scheduler scheduler,
            LongSupplier nanoClock, java.util.function.IntSupplier heldElsewhere) {
        this.heldElsewhere = heldElsewhere;
        this.policy = policy;
        this.transport = transport;
        this.scheduler = scheduler;
        this.nanoClock = nanoClock;
    }

    /**
     * Connects the Route Point to a recorded call.
     *
     * @param request the call and its open recording
     * @return the running session
     * @throws CaptureException with the explained reason: no Route Point configured, internal call,
     *         capacity reached, Route Point call failed
     */
    public CaptureSession start(CaptureRequest request) throws CaptureException {
        String callId = request.call().callId();
        String ext = request.call().extension();
        if (!policy.hasRoutePoint()) {
            throw new CaptureException(missingRoutePointMessage());
        }
        if (request.call().origin() == CallOrigin.INTERNAL) {
            // The recorder skips these already; kept here so no transport ever dials for one.
            throw new CaptureException("internal call between extensions: not recordable in ShoreTel TAPI/Wave "
                    + "mode (the PBX gives a Route Point no audio of internal calls)");
        }
        synchronized (this) {
            if (reserved + heldElsewhere.getAsInt() >= policy.maxSessions()) {
                capacityRefusals++;
                lastProblem = "capacity reached (" + policy.maxSessions() + " Route Point sessions)";
                String msg = "capacity reached (" + policy.maxSessions() + " Route Point sessions): call " + callId
                        + " on ext " + ext + " not recorded; the PBX allows at most this many simultaneous Route "
                        + "Point recordings per Remote Server (maxRoutePointSessions)";
                LOG.warn("Route Point: {}", msg);
                throw new CaptureException(msg);
            }
            reserved++;
        }
        RoutePointSession s = new RoutePointSession(this, request);
        active.put(callId + "@" + ext + "#" + System.identityHashCode(s), s);
        boolean ok = false;
        try {
            s.connect();
            ok = true;
        } finally {
            if (!ok) {
                release(s);
            }
        }
        synchronized (this) {
            started++;
        }
        return s;
    }

    /** @return the administrator's message for a missing Route Point extension */
    public static String missingRoutePointMessage() {
        return "ShoreTelTapiWaveRoutePointExtension is not set: it is required in ShoreTel TAPI/Wave mode; no call "
                + "can be recorded until it is (configuration org.callrec.capture.wave)";
    }

    /** Ends every session (capture going away); their recordings are closed by the recorder. */
    public void stopAll() {
        for (RoutePointSession s : active.values()) {
            s.stop();
        }
    }

    /** @return the settings */
    public RoutePointPolicy policy() {
        return policy;
    }

    /** @return the transport's name */
    public String transportName() {
        return transport.name();
    }

    /** @return the counters now */
    public synchronized RoutePointStats stats() {
        return new RoutePointStats(reserved, policy.maxSessions(), started, capacityRefusals, dialFailures, drops,
                reconnects, conferenceEnds, givenUp, lastProblem);
    }

    /** The session no longer holds a Route Point: its slot is free. Called once per session. */
    void release(RoutePointSession s) {
        active.values().remove(s);
        synchronized (this) {
            reserved--;
        }
    }

    synchronized void dialFailed(String reason) {
        dialFailures++;
        lastProblem = reason;
    }

    synchronized void dropped(String reason) {
        drops++;
        lastProblem = reason;
    }

    synchronized void reconnected() {
        reconnects++;
    }

    synchronized void conferenceEnded() {
        conferenceEnds++;
    }

    synchronized void gaveUp(String reason) {
        givenUp++;
        lastProblem = reason;
    }
}
