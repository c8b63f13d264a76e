package org.callrec.capture.wave.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.callrec.api.capture.AudioCapture;
import org.callrec.api.capture.CaptureException;
import org.callrec.api.capture.CaptureRequest;
import org.callrec.api.capture.CaptureSession;
import org.callrec.api.health.HealthCheck;
import org.callrec.api.health.HealthReport;
import org.callrec.api.health.HealthStatus;
import org.callrec.api.mode.IntegrationMode;
import org.callrec.capture.wave.internal.routepoint.ConferenceExtensions;
import org.callrec.capture.wave.internal.routepoint.RoutePointPolicy;
import org.callrec.capture.wave.internal.routepoint.RoutePointSessions;
import org.callrec.capture.wave.internal.routepoint.RoutePointStats;
import org.callrec.capture.wave.internal.routepoint.RoutePointTransport;
import org.callrec.capture.wave.internal.winmm.WinmmLibrary;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route Point capture, registered only while the ShoreTel TAPI/Wave mode is active, with its health
 * check. The Route Point logic is {@link RoutePointSessions}; this component reads the
 * configuration, picks the transport and refuses requests with the reason while the configuration
 * or the transport is missing.
 *
 * <p>Transports: the winmm one needs the TAPI provider to place the Route Point call on Windows and
 * the SIP one needs the SIP user agent of callrec.sip; until those services exist the component
 * says so for each request (and in its health check) instead of pretending to record.
 */
@Component(service = {AudioCapture.class, HealthCheck.class}, immediate = true,
        configurationPid = "org.callrec.capture.wave",
        property = IntegrationMode.SERVICE_PROPERTY + "=shoretel-tapi-wave")
@Designate(ocd = WaveConfig.class)
public final class RoutePointCapture implements AudioCapture, HealthCheck {

    static final String CHECK_NAME = "TAPI/Wave Route Point";
    private static final Logger LOG = LoggerFactory.getLogger(RoutePointCapture.class);

    private final ScheduledExecutorService timer;
    private final ExecutorService dialers;
    private final TransportChooser chooser;

    private volatile String configProblem;
    private volatile String transportProblem;
    private volatile RoutePointSessions sessions;
    private volatile RoutePointPolicy policy;

    /** For DS. */
    public RoutePointCapture() {
        this(RoutePointCapture::unavailableTransport);
    }

    /** For tests: a given transport choice. */
    RoutePointCapture(TransportChooser chooser) {
        this.chooser = chooser;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "callrec-routepoint-timer"));
        this.dialers = Executors.newCachedThreadPool(r -> daemon(r, "callrec-routepoint-dial"));
    }

    /** Picks the transport for a configured name; returns null and explains via the problem holder. */
    interface TransportChooser {
        RoutePointTransport choose(String name, WaveConfig config, StringBuilder problem);
    }

    @Activate
    @Modified
    void configure(WaveConfig config) {
        List<String> problems = new ArrayList<>();
        String rp = config.ShoreTelTapiWaveRoutePointExtension() == null ? ""
                : config.ShoreTelTapiWaveRoutePointExtension().trim();
        if (rp.isEmpty()) {
            problems.add(RoutePointSessions.missingRoutePointMessage());
        }
        if (config.TapiWaveBuffersPerDevice() < 2) {
            problems.add("TapiWaveBuffersPerDevice=" + config.TapiWaveBuffersPerDevice()
                    + " is not allowed: it must be an integer greater than 1");
        } else if (config.TapiWaveBuffersPerDevice() > 8) {
            LOG.warn("TapiWaveBuffersPerDevice={}: values above 8 give no gain", config.TapiWaveBuffersPerDevice());
        }
        ConferenceExtensions conf = ConferenceExtensions.NONE;
        try {
            conf = ConferenceExtensions.parse("systemConferenceExtensions", config.systemConferenceExtensions());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        RoutePointPolicy p = null;
        try {
            p = new RoutePointPolicy(rp, config.maxRoutePointSessions(), conf, config.routePointRedialAttempts(),
                    config.routePointRedialDelayMillis());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        for (String problem : problems) {
            LOG.error("TAPI/Wave capture configuration (org.callrec.capture.wave): {}", problem);
        }
        configProblem = problems.isEmpty() ? null : String.join("; ", problems);
        policy = p;
        String name = config.transport() == null ? "auto" : config.transport().trim().toLowerCase(Locale.ROOT);
        if ("auto".equals(name) || name.isEmpty()) {
            name = WinmmLibrary.present() ? "winmm" : "sip";
        }
        StringBuilder why = new StringBuilder();
        RoutePointTransport t = chooser.choose(name, config, why);
        transportProblem = t == null ? why.toString() : null;
        if (t == null) {
            LOG.warn("TAPI/Wave capture: {}", transportProblem);
        }
        RoutePointSessions old = sessions;
        // Sessions in progress keep their own (old) counters and transport until their calls end.
        sessions = p == null || t == null ? null : new RoutePointSessions(p, t, this::schedule, System::nanoTime);
        if (old != null && sessions == null) {
            old.stopAll();
        }
        if (p != null) {
            LOG.info("TAPI/Wave capture: Route Point {}, at most {} sessions, transport {}, system conference "
                    + "extensions {}", rp.isEmpty() ? "(not set)" : rp, p.maxSessions(), name,
                    p.conferenceExtensions());
        }
    }

    @Deactivate
    void deactivate() {
        RoutePointSessions s = sessions;
        if (s != null) {
            s.stopAll();
        }
        timer.shutdownNow();
        dialers.shutdown();
    }

    @Override
    public IntegrationMode mode() {
        return IntegrationMode.SHORETEL_TAPI_WAVE;
    }

    @Override
    public CaptureSession start(CaptureRequest request) throws CaptureException {
        String problem = configProblem;
        if (problem != null) {
            throw new CaptureException("TAPI/Wave capture is misconfigured: " + problem);
        }
        RoutePointSessions s = sessions;
        if (s == null) {
            throw new CaptureException("no Route Point transport: " + transportProblem);
        }
        return s.start(request);
    }

    @Override
    public HealthReport check() {
        List<String> details = new ArrayList<>();
        String problem = configProblem;
        if (problem != null) {
            return new HealthReport(CHECK_NAME, HealthStatus.CRITICAL, "misconfigured: " + problem, details, Instant.now());
        }
        RoutePointSessions s = sessions;
        if (s == null) {
            return new HealthReport(CHECK_NAME, HealthStatus.CRITICAL, "no Route Point transport: " + transportProblem,
                    details, Instant.now());
        }
        RoutePointStats st = s.stats();
        details.add("Route Point " + s.policy().routePointExtension() + " via " + s.transportName());
        details.add("sessions started " + st.started() + ", capacity refusals " + st.capacityRefusals()
                + ", Route Point call failures " + st.dialFailures() + ", drops " + st.drops() + ", re-established "
                + st.reconnects() + ", given up " + st.givenUp() + ", ended by 4th-party conference "
                + st.conferenceEnds());
        if (s.policy().conferenceExtensions().isEmpty()) {
            details.add("systemConferenceExtensions is not set: a 4th party joining a conference is not recognised; "
                    + "the Route Point audio then just stops");
        }
        if (st.lastProblem() != null) {
            details.add("last problem: " + st.lastProblem());
        }
        String usage = st.active() + " of " + st.capacity() + " Route Point sessions in use";
        HealthStatus status = st.active() >= st.capacity() ? HealthStatus.WARNING : HealthStatus.OK;
        return new HealthReport(CHECK_NAME, status, st.active() >= st.capacity()
                ? "capacity reached (" + st.capacity() + " Route Point sessions): new calls are refused" : usage,
                details, Instant.now());
    }

    /** @return the counters, for tests and the console */
    RoutePointStats stats() {
        RoutePointSessions s = sessions;
        return s == null ? null : s.stats();
    }

    private Runnable schedule(Runnable task, long delayMillis) {
        // Dials block, so the timer only hands them to the dialer pool.
        ScheduledFuture<?> f = timer.schedule(() -> dialers.execute(task), delayMillis, TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    private static RoutePointTransport unavailableTransport(String name, WaveConfig config, StringBuilder problem) {
        switch (name) {
            case "winmm" -> problem.append(WinmmLibrary.present()
                    ? "the winmm transport needs the TAPI provider to place the Route Point call, which this build "
                            + "does not offer yet"
                    : "transport winmm needs winmm.dll (Windows); use transport sip here");
            case "sip" -> problem.append("the SIP Route Point transport (SIP user agent of callrec.sip, RTP through "
                    + "callrec.rtp) is not available in this build");
            default -> problem.append("transport '").append(name).append("' is not allowed: use auto, winmm or sip");
        }
        return null;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
