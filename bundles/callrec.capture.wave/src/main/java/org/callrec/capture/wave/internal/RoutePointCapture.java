package org.callrec.capture.wave.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import org.callrec.api.rtp.PlayoutFactory;
import org.callrec.capture.wave.internal.routepoint.ConferenceExtensions;
import org.callrec.capture.wave.internal.routepoint.RoutePointPolicy;
import org.callrec.capture.wave.internal.routepoint.RoutePointSessions;
import org.callrec.capture.wave.internal.routepoint.RoutePointStats;
import org.callrec.capture.wave.internal.routepoint.RoutePointTransport;
import org.callrec.capture.wave.internal.sip.RtpPortPool;
import org.callrec.capture.wave.internal.sip.SipRoutePointSettings;
import org.callrec.capture.wave.internal.sip.SipRoutePointTransport;
import org.callrec.capture.wave.internal.sip.RecorderUserAgent;
import org.callrec.capture.wave.internal.sip.SipTlsSettings;
import org.callrec.capture.wave.internal.winmm.WinmmLibrary;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route Point capture, registered only while the ShoreTel TAPI/Wave mode is active, with its health
 * check. The Route Point logic is {@link RoutePointSessions}; this component reads the
 * configuration, picks the transport and refuses requests with the reason while the configuration
 * or the transport is missing.
 *
 * <p>Transports: the SIP one (our user agent over UDP, TCP or TLS, RTP played out by callrec.rtp)
 * runs everywhere;
 * the winmm one needs the TAPI provider to place the Route Point call on Windows, and until that
 * exists the component says so for each request (and in its health check) instead of pretending
 * to record.
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

    @Reference
    private PlayoutFactory playouts;

    private final ScheduledExecutorService sipTicker;
    private volatile SipStack sip;
    /** User agents of earlier settings, kept until the calls they carry have ended. */
    private final List<SipStack> retired = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile String configProblem;
    private volatile String transportProblem;
    private volatile RoutePointSessions sessions;
    private volatile RoutePointPolicy policy;
    /** Sessions of earlier configurations, stopped at deactivation if their calls still run. */
    private final List<RoutePointSessions> earlier = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** For DS. */
    public RoutePointCapture() {
        this((TransportChooser) null);
    }

    /** For tests: the real transports over a given play-out. */
    RoutePointCapture(PlayoutFactory playouts) {
        this((TransportChooser) null);
        this.playouts = playouts;
    }

    /** For tests: a given transport choice (null: the real ones). */
    RoutePointCapture(TransportChooser chooser) {
        this.chooser = chooser == null ? this::realTransport : chooser;
        this.sipTicker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "callrec-sip-routepoint-tick"));
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
        // Sessions in progress keep their own (old) counters and transport until their calls end, also when
        // the new configuration is wrong: it refuses new calls, it does not cut the running ones.
        sessions = p == null || t == null ? null : new RoutePointSessions(p, t, this::schedule, System::nanoTime,
                this::earlierActive);
        if (old != null) {
            earlier.removeIf(e -> e.stats().active() == 0);
            earlier.add(old);
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
        earlier.forEach(RoutePointSessions::stopAll);
        earlier.clear();
        timer.shutdownNow();
        dialers.shutdown();
        SipStack old = sip;
        if (old != null) {
            old.ua.close();
        }
        for (SipStack r : retired) {
            r.ua.close();
        }
        retired.clear();
        sipTicker.shutdownNow();
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
        SipStack stack = sip;
        if (stack != null && "sip".equals(s.transportName())) {
            RecorderUserAgent ua = stack.ua;
            details.add("SIP user agent " + ua.localAddress() + (ua.localPort() < 0 ? "" : ":" + ua.localPort()) + " ("
                    + ua.transportName() + (ua.transportName().equals("udp") ? "" : ", connections " + ua.connections())
                    + ") -> PBX " + stack.settings.pbxAddress() + ":" + stack.settings.pbxPort() + "; dialogs held "
                    + ua.dialogs() + ", retransmissions " + ua.retransmissions() + ", re-INVITEs answered "
                    + ua.reinvites() + ", transport errors " + ua.transportErrors()
                    + ", malformed SIP messages ignored " + ua.malformed());
            if (stack.tls != null) {
                details.add("TLS: the PBX's certificate is verified against " + stack.tls.describe());
            }
        }
        for (SipStack r : retired) {
            details.add("previous SIP user agent (" + r.ua.transportName() + ", PBX " + r.settings.pbxAddress() + ":"
                    + r.settings.pbxPort() + ") kept for " + r.transport.legs() + " Route Point calls in progress");
        }
        int previous = earlierActive();
        int inUse = st.active() + previous;
        if (previous > 0) {
            details.add(previous + " Route Point sessions still run under an earlier configuration; they count "
                    + "against maxRoutePointSessions until their calls end");
        }
        String usage = inUse + " of " + st.capacity() + " Route Point sessions in use";
        HealthStatus status = inUse >= st.capacity() ? HealthStatus.WARNING : HealthStatus.OK;
        return new HealthReport(CHECK_NAME, status, inUse >= st.capacity()
                ? "capacity reached (" + st.capacity() + " Route Point sessions): new calls are refused" : usage,
                details, Instant.now());
    }

    /** @return Route Point sessions still running under earlier configurations */
    private int earlierActive() {
        int n = 0;
        for (RoutePointSessions e : earlier) {
            n += e.stats().active();
        }
        return n;
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

    /** The SIP user agent and what it was made from, so an unchanged configuration keeps its socket and calls. */
    private record SipStack(SipRoutePointSettings settings, String bind, int port, SipTlsSettings tls,
            RecorderUserAgent ua, RtpPortPool rtpPorts, SipRoutePointTransport transport) {

        /** @return true if a new agent is needed for these: another socket, transport or TLS trust */
        boolean socketDiffers(SipRoutePointSettings s, String b, int p, SipTlsSettings t) {
            return !bind.equals(b) || port != p || !settings.transport().equals(s.transport())
                    || !java.util.Objects.equals(tls, t);
        }
    }

    private RoutePointTransport realTransport(String name, WaveConfig config, StringBuilder problem) {
        if ("sip".equals(name)) {
            return sipTransport(config, problem);
        }
        return unavailableTransport(name, config, problem);
    }

    private synchronized RoutePointTransport sipTransport(WaveConfig config, StringBuilder problem) {
        SipRoutePointSettings settings;
        SipTlsSettings tls = null;
        try {
            String transport = config.sipTransport() == null ? "udp" : config.sipTransport().trim().toLowerCase(Locale.ROOT);
            settings = new SipRoutePointSettings(config.sipPbxAddress() == null ? null : config.sipPbxAddress().trim(),
                    config.sipPbxPort(), transport, config.sipUser(), config.sipPassword(), config.rtpPortMin(),
                    config.rtpPortMax(), config.sipAnswerTimeoutMillis(), config.sipFirstRtpTimeoutMillis(),
                    config.sipRtpSilenceMillis());
            if (config.sipLocalPort() < 0 || config.sipLocalPort() > 65535) {
                throw new IllegalArgumentException("sipLocalPort=" + config.sipLocalPort() + " is not allowed: 0-65535");
            }
            if ("tls".equals(transport)) {
                tls = SipTlsSettings.of(config.sipTlsTrustStore(), config.sipTlsTrustStorePassword(),
                        config.sipTlsTrustedCertificate(), config.sipTlsVerifyHostname());
            }
        } catch (IllegalArgumentException e) {
            problem.append("SIP transport misconfigured: ").append(e.getMessage());
            return null;
        }
        String bind = config.sipLocalAddress() == null ? "" : config.sipLocalAddress().trim();
        SipStack old = sip;
        if (old != null && old.settings.equals(settings) && !old.socketDiffers(settings, bind, config.sipLocalPort(), tls)) {
            return old.transport;
        }
        try {
            InetAddress local = bind.isEmpty() ? new InetSocketAddress(0).getAddress() : InetAddress.getByName(bind);
            InetSocketAddress pbx = new InetSocketAddress(settings.pbxAddress(), settings.pbxPort());
            if (pbx.isUnresolved()) {
                throw new IOException("sipPbxAddress " + settings.pbxAddress() + " cannot be resolved");
            }
            RecorderUserAgent ua;
            if (old != null && !old.socketDiffers(settings, bind, config.sipLocalPort(), tls)) {
                // Same socket: the agent stays (its calls keep going); new calls go to the new PBX as the new user.
                ua = old.ua;
                ua.retarget(pbx, settings.user());
            } else {
                ua = new RecorderUserAgent(settings.transport(), new InetSocketAddress(local, config.sipLocalPort()),
                        tls == null ? null : tls.trust(), bind, pbx, settings.user());
            }
            RtpPortPool pool = old != null && old.settings.rtpPortMin() == settings.rtpPortMin()
                    && old.settings.rtpPortMax() == settings.rtpPortMax() && old.bind.equals(bind) ? old.rtpPorts
                            : new RtpPortPool(local, settings.rtpPortMin(), settings.rtpPortMax());
            SipRoutePointTransport t = old != null && old.ua == ua
                    ? new SipRoutePointTransport(settings, ua, playouts, pool, sipTicker, old.transport.legCounter())
                    : new SipRoutePointTransport(settings, ua, playouts, pool, sipTicker);
            sip = new SipStack(settings, bind, config.sipLocalPort(), tls, ua, pool, t);
            if (old != null && old.ua != ua) {
                // Calls in progress keep their Route Point leg on the old agent until they end (then it closes).
                retired.add(old);
                retireWhenIdle();
            }
            LOG.info("TAPI/Wave SIP transport: user agent on {}{} ({}) calls the Route Point at {}:{}, RTP ports {}-{}{}",
                    ua.localAddress(), ua.localPort() < 0 ? "" : ":" + ua.localPort(), ua.transportName(),
                    settings.pbxAddress(), settings.pbxPort(), settings.rtpPortMin(), settings.rtpPortMax(),
                    tls == null ? "" : ", PBX certificate verified against " + tls.describe());
            return t;
        } catch (IOException e) {
            problem.append("the SIP user agent cannot start: ").append(e.getMessage());
            return null;
        }
    }

    /** Closes each retired user agent once no Route Point call and no dialog uses it any more. */
    private void retireWhenIdle() {
        try {
            sipTicker.schedule(() -> {
                for (SipStack r : retired) {
                    if (r.transport.legs() == 0 && r.ua.dialogs() == 0) {
                        r.ua.close();
                        retired.remove(r);
                        LOG.info("TAPI/Wave SIP transport: the user agent of the previous settings ({}) is closed: its "
                                + "calls have ended", r.ua.transportName());
                    }
                }
                if (!retired.isEmpty()) {
                    retireWhenIdle();
                }
            }, 1, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // deactivated: deactivate() closes them
        }
    }

    /** @return the SIP user agent in use, or null (for tests) */
    RecorderUserAgent sipUserAgent() {
        SipStack s = sip;
        return s == null ? null : s.ua;
    }

    /** @return user agents of earlier settings still open for their calls (for tests) */
    List<RecorderUserAgent> retiredUserAgents() {
        return retired.stream().map(SipStack::ua).toList();
    }

    private static RoutePointTransport unavailableTransport(String name, WaveConfig config, StringBuilder problem) {
        switch (name) {
            case "winmm" -> problem.append(WinmmLibrary.present()
                    ? "the winmm transport needs the TAPI provider to place the Route Point call, which this build "
                            + "does not offer yet"
                    : "transport winmm needs winmm.dll (Windows); use transport sip here");
            case "sip" -> problem.append("the SIP Route Point transport is not available");
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
