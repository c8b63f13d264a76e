package org.callrec.ha.internal;

import java.net.SocketException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.callrec.api.ha.CallLease;
import org.callrec.api.ha.HaEvent;
import org.callrec.api.ha.HaListener;
import org.callrec.api.ha.HaRole;
import org.callrec.api.ha.HaState;
import org.callrec.api.ha.HighAvailability;
import org.callrec.api.health.HealthCheck;
import org.callrec.api.health.HealthReport;
import org.callrec.api.health.HealthStatus;
import org.callrec.api.mode.IntegrationMode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's HA role (TAPI/Wave mode only: in port-mirror mode both nodes record). A primary binds
 * UDP {@code TapiWaveHeartbeatSendPort} and sends heartbeats from it to
 * {@code peerAddress:TapiWaveHeartbeatReceivePort} ({@link HeartbeatSender}); a secondary binds UDP
 * {@code TapiWaveHeartbeatReceivePort} only, and takes over when they stop ({@link HeartbeatMonitor});
 * {@link Failover} holds the state and the call leases. State changes
 * are logged and announced to every {@link HaListener} service, in order, on one thread.
 * An invalid configuration or an unbindable port leaves the node active (recording every call, as
 * standalone) with a CRITICAL health report: a duplicate Route Point attempt fails harmlessly at
 * the PBX, a missed call is lost for good.
 */
@Component(service = {HighAvailability.class, HealthCheck.class}, immediate = true, configurationPid = HaNode.PID,
        property = IntegrationMode.SERVICE_PROPERTY + "=shoretel-tapi-wave")
@Designate(ocd = HaConfig.class)
public final class HaNode implements HighAvailability, HealthCheck {

    static final String PID = "org.callrec.ha";
    static final String CHECK_NAME = "high availability";
    private static final Logger LOG = LoggerFactory.getLogger(HaNode.class);

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile List<HaListener> listeners = List.of();

    private final ExecutorService announcer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "callrec-ha-events");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong configErrors = new AtomicLong();
    private volatile Running running;

    /** One configuration's run: replaced as a whole on reconfiguration. */
    private record Running(HaSettings settings, Failover failover, HeartbeatVerifier verifier, HeartbeatSender sender,
            HeartbeatMonitor monitor, List<String> problems) {
    }

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        // the state and its call leases outlive a reconfiguration; only the sockets are replaced
        Failover kept = running == null ? null : running.failover();
        stopRunning();
        HaSettings settings;
        try {
            settings = HaSettings.from(properties);
        } catch (InvalidHaSettingException e) {
            configErrors.incrementAndGet();
            for (String line : e.getMessage().split("\n")) {
                LOG.error("{}: {}", PID, line);
            }
            String nodeId = String.valueOf(properties.getOrDefault(HaSettings.NODE_ID, "node-1"));
            List<String> problems = new ArrayList<>(List.of(e.getMessage().split("\n")));
            problems.add(0, "configuration invalid: no heartbeats; this node records every call as a standalone node");
            Failover failover = kept != null ? kept
                    : new Failover(nodeId, HaRole.STANDALONE, null, Clock.systemUTC(), () -> 0, this::announce);
            running = new Running(null, failover, null, null, null, problems);
            if (kept != null) {
                kept.reconfigure(nodeId, HaRole.STANDALONE, null, () -> 0, problems.get(0));
            } else {
                failover.started(problems.get(0));
            }
            return;
        }
        running = start(settings, kept);
    }

    private Running start(HaSettings s, Failover kept) {
        HeartbeatVerifier verifier = new HeartbeatVerifier(s.nodeId(), s.clockSkewMs());
        String peer = s.peerAddress().isEmpty() ? null : s.peerAddress();
        Failover failover = kept != null ? kept
                : new Failover(s.nodeId(), s.role(), peer, Clock.systemUTC(), verifier::rejectedTotal, this::announce);
        List<String> problems = new ArrayList<>();
        if (s.role() != HaRole.STANDALONE && !s.hasSecret()) {
            LOG.warn("!!! {}: no {} configured: heartbeats are NOT authenticated. Anyone who can send UDP to port {} "
                    + "can keep the secondary passive while the primary is down, and calls will not be recorded. "
                    + "Set the same {} on both nodes. !!!", PID, HaSettings.SECRET, s.receivePort(), HaSettings.SECRET);
            problems.add("no heartbeatSecret: heartbeats are not authenticated and can be forged");
        } else if (s.role() != HaRole.STANDALONE && s.secret().length < HaSettings.SHORT_SECRET_BYTES) {
            LOG.warn("{}: {} is only {} bytes; use {} or more", PID, HaSettings.SECRET, s.secret().length,
                    HaSettings.SHORT_SECRET_BYTES);
            problems.add("heartbeatSecret shorter than " + HaSettings.SHORT_SECRET_BYTES + " bytes");
        }
        HeartbeatSender sender = null;
        HeartbeatMonitor monitor = null;
        try {
            if (s.role() == HaRole.PRIMARY) {
                sender = new HeartbeatSender(s);
                sender.start();
            } else if (s.role() == HaRole.SECONDARY) {
                monitor = new HeartbeatMonitor(s, failover, verifier);
            }
        } catch (SocketException e) {
            LOG.error("{}: {}", PID, e.getMessage());
            problems.add(0, e.getMessage());
        }
        Running run = new Running(s, failover, verifier, sender, monitor, problems);
        if (kept != null) {
            kept.reconfigure(s.nodeId(), s.role(), peer, verifier::rejectedTotal, describe(s, sender));
        } else {
            failover.started(describe(s, sender));
        }
        if (monitor != null) {
            monitor.start();
        } else if (s.role() == HaRole.SECONDARY) {
            // cannot hear the primary: recording everything is the only way not to lose calls
            failover.primaryLost("cannot listen for heartbeats (" + problems.get(0) + "); this node records now");
        }
        return run;
    }

    private static String describe(HaSettings s, HeartbeatSender sender) {
        switch (s.role()) {
            case PRIMARY:
                return "primary " + s.nodeId() + ": active; heartbeat every " + s.intervalMs() + " ms from UDP port "
                        + s.sendPort() + " to " + (sender == null ? s.peerAddress() + ":" + s.receivePort() : sender.target());
            case SECONDARY:
                return "secondary " + s.nodeId() + ": passive; listening on UDP port " + s.receivePort()
                        + ", takes over after " + s.takeoverTimeoutMs() + " ms without a valid heartbeat";
            default:
                return "standalone " + s.nodeId() + ": active, no peer";
        }
    }

    @Deactivate
    void deactivate() {
        stopRunning();
        running = null;
        announcer.shutdown();
    }

    private void stopRunning() {
        Running r = running;
        if (r == null) {
            return;
        }
        if (r.sender() != null) {
            r.sender().close();
        }
        if (r.monitor() != null) {
            r.monitor().close();
        }
        // running stays: claims and state keep working while the new sockets are bound
    }

    /** Called under the failover lock: logs now, hands the listeners the event on the announcer thread. */
    private void announce(HaEvent event) {
        switch (event.kind()) {
            case TOOK_OVER:
                LOG.warn("{}: {} TOOK OVER: {}", PID, event.state().nodeId(), event.reason());
                break;
            case STARTED:
                LOG.info("{}: {}", PID, event.reason());
                break;
            default:
                LOG.info("{}: {} {}: {}", PID, event.state().nodeId(), event.kind(), event.reason());
        }
        try {
            announcer.execute(() -> {
                for (HaListener l : listeners) {
                    try {
                        l.haChanged(event);
                    } catch (RuntimeException e) {
                        LOG.error("{}: HA listener {} failed on {}", PID, l.getClass().getName(), event.kind(), e);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // deactivated: nobody left to tell
        }
    }

    private Failover failover() {
        Running r = running;
        if (r == null) {
            throw new IllegalStateException(PID + " is not active");
        }
        return r.failover();
    }

    @Override
    public HaState state() {
        return failover().state();
    }

    @Override
    public Optional<CallLease> claimCall(String callId) {
        return failover().claim(callId);
    }

    @Override
    public int callsInProgress() {
        return failover().callsInProgress();
    }

    /** @return rejected heartbeats for one reason (0 without a monitor) */
    long rejected(HeartbeatRejection reason) {
        Running r = running;
        return r == null || r.verifier() == null ? 0 : r.verifier().rejected(reason);
    }

    long configErrors() {
        return configErrors.get();
    }

    long refusedAttempts() {
        return failover().refusedAttempts();
    }

    @Override
    public HealthReport check() {
        Running r = running;
        if (r == null) {
            return new HealthReport(CHECK_NAME, HealthStatus.CRITICAL, "not running", List.of(), Instant.now());
        }
        HaState st = r.failover().state();
        List<String> details = new ArrayList<>(r.problems());
        Failover.Phase phase = r.failover().phase();
        details.add("phase " + phase + ", " + r.failover().callsInProgress() + " call(s) in progress "
                + r.failover().callIds());
        if (r.verifier() != null) {
            StringBuilder b = new StringBuilder("heartbeats rejected: ").append(r.verifier().rejectedTotal());
            for (HeartbeatRejection reason : HeartbeatRejection.values()) {
                b.append(", ").append(reason.name()).append('=').append(r.verifier().rejected(reason));
            }
            details.add(b.toString());
            details.add("last valid heartbeat: " + (st.lastValidHeartbeat() == null ? "never" : st.lastValidHeartbeat())
                    + (st.peer() == null ? "" : " from " + st.peer()));
        }
        if (r.sender() != null) {
            details.add("heartbeats sent: " + r.sender().sent() + " to " + r.sender().target() + ", send failures: "
                    + r.sender().sendFailures());
        }
        if (r.failover().refusedAttempts() > 0) {
            details.add("Route Point attempts refused (peer already held the call): " + r.failover().refusedAttempts()
                    + ", last " + r.failover().lastRefusal());
        }
        HealthStatus status;
        String message;
        if (r.settings() == null || (!r.problems().isEmpty() && r.problems().get(0).startsWith("cannot bind"))) {
            status = HealthStatus.CRITICAL;
            message = r.problems().get(0);
        } else if (st.role() == HaRole.SECONDARY && phase != Failover.Phase.PASSIVE) {
            status = HealthStatus.WARNING;
            message = phase == Failover.Phase.ACTIVE ? st.nodeId() + " has taken over: the primary is not heard"
                    : st.nodeId() + " finishing " + r.failover().callsInProgress()
                            + " call(s) taken over; the primary is back";
        } else if (!r.problems().isEmpty()) {
            status = HealthStatus.WARNING;
            message = r.problems().get(0);
        } else {
            status = HealthStatus.OK;
            message = st.role().name().toLowerCase(java.util.Locale.ROOT) + " " + st.nodeId()
                    + (st.active() ? " active" : " passive, primary heard");
        }
        return new HealthReport(CHECK_NAME, status, message, details, Instant.now());
    }
}
