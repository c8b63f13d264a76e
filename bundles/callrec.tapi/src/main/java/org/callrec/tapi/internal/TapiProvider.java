package org.callrec.tapi.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.callrec.api.call.CallControlSource;
import org.callrec.api.call.CapturePacedSource;
import org.callrec.api.call.CallEvent;
import org.callrec.api.call.CallEventListener;
import org.callrec.api.call.LinkState;
import org.callrec.api.health.HealthCheck;
import org.callrec.api.health.HealthReport;
import org.callrec.api.health.HealthStatus;
import org.callrec.tapi.internal.jna.Tapi32Api;
import org.callrec.tapi.internal.line.CallTracker;
import org.callrec.tapi.internal.line.LinkSettings;
import org.callrec.tapi.internal.line.TapiApi;
import org.callrec.tapi.internal.line.TapiLink;
import org.callrec.tapi.internal.scripted.Scenario;
import org.callrec.tapi.internal.scripted.ScriptedPbx;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TAPI call-control source: runs the link (tapi32 on Windows, or the scripted PBX), delivers
 * its call events to every {@link CallEventListener} service, and registers itself as
 * {@link CallControlSource} and {@link HealthCheck} with {@value CallControlSource#LINK_STATUS_PROPERTY}
 * kept current. A configuration change restarts the link.
 */
@Component(configurationPid = "org.callrec.tapi", immediate = true, service = {})
@Designate(ocd = TapiConfig.class)
public final class TapiProvider implements CallControlSource, HealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(TapiProvider.class);
    /** Service properties beside the status: when it entered it, and the last error (ISO-8601, text). */
    static final String LINK_SINCE_PROPERTY = "callrec.link.since";
    static final String LINK_ERROR_PROPERTY = "callrec.link.error";

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            fieldOption = FieldOption.UPDATE)
    private final List<CallEventListener> listeners = new CopyOnWriteArrayList<>();

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong listenerFailures = new AtomicLong();
    private volatile String id = "tapi";
    private volatile LinkState link = new LinkState(LinkState.Status.DOWN, Instant.now(), "not started");
    private volatile TapiLink pump;
    private ServiceRegistration<?> registration;
    private ServiceRegistration<CapturePacedSource> pacing;

    @Activate
    void activate(BundleContext context, TapiConfig config) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(LINK_STATUS_PROPERTY, link.status().name());
        String provider = config.provider().trim();
        id = provider.equals("scripted") ? "scripted-pbx" : "tapi";
        props.put("callrec.source", id);
        registration = context.registerService(new String[] {CallControlSource.class.getName(), HealthCheck.class.getName()},
                this, props);
        boolean captureClock = provider.equals("scripted") && config.scriptedClock().trim().equals("capture");
        if (!Set.of("wall", "capture").contains(config.scriptedClock().trim())) {
            String why = "scriptedClock '" + config.scriptedClock() + "' is not one of wall, capture";
            linkChanged(new LinkState(LinkState.Status.DOWN, Instant.now(), why));
            LOG.error("TAPI provider not started: {}", why);
            return;
        }
        TapiApi api;
        try {
            api = captureClock ? onCaptureClock(context, config) : api(provider, config);
        } catch (IllegalArgumentException e) {
            linkChanged(new LinkState(LinkState.Status.DOWN, Instant.now(), e.getMessage()));
            LOG.error("TAPI provider not started: {}", e.getMessage());
            return;
        }
        if (api == null) {
            return;
        }
        Pattern internal;
        try {
            internal = Pattern.compile(config.internalNumberPattern());
        } catch (PatternSyntaxException e) {
            linkChanged(new LinkState(LinkState.Status.DOWN, Instant.now(),
                    "internalNumberPattern '" + config.internalNumberPattern() + "' is not a regular expression: "
                            + e.getDescription()));
            return;
        }
        // on a capture clock the events carry capture times, which is what binds them to the file's packets
        Clock eventClock = api instanceof ScriptedPbx pbx && captureClock ? pbx.captureClock() : Clock.systemUTC();
        CallTracker tracker = new CallTracker(id, this::deliver, eventClock, config.EnableDnis(), internal);
        LinkSettings settings = LinkSettings.defaults(Duration.ofSeconds(Math.max(2, config.watchdogSeconds())));
        TapiLink p = new TapiLink(api, tracker, settings, this::linkChanged, Clock.systemUTC());
        pump = p;
        p.start("callrec-tapi-" + id);
        LOG.info("TAPI provider {} started (EnableDnis={}, watchdog {} s)", id, config.EnableDnis(),
                settings.watchdogTimeout().toSeconds());
    }

    /**
     * The scripted PBX on a capture file's clock, for {@code callrec import --scenario}: one scenario,
     * played as the import advances the clock, offered as {@link CapturePacedSource} (even when it
     * cannot be loaded, so the import reports why at once).
     */
    private TapiApi onCaptureClock(BundleContext context, TapiConfig config) {
        String[] names = config.scriptedScenarios();
        String named = names.length == 1 ? names[0].trim() : String.join(", ", names);
        ScenarioPacing p;
        try {
            if (names.length != 1) {
                throw new IllegalArgumentException("scriptedClock=capture plays exactly one scenario, not "
                        + names.length + " (" + named + ")");
            }
            p = new ScenarioPacing(named, ScriptedPbx.onCaptureClock(scenario(named)), null);
        } catch (IllegalArgumentException e) {
            p = new ScenarioPacing(named, null, e.getMessage().startsWith("scenario file ") ? e.getMessage()
                    : "scenario file " + named + ": " + e.getMessage());
        }
        pacing = context.registerService(CapturePacedSource.class, p, new Hashtable<>(java.util.Map.of(
                "callrec.source", id)));
        if (p.pbx() == null) {
            throw new IllegalArgumentException(p.problem());
        }
        return p.pbx();
    }

    /** A shipped scenario's name, or the path of a scenario file. */
    private static Scenario scenario(String nameOrPath) {
        return nameOrPath.endsWith(".json") || nameOrPath.contains("/") || nameOrPath.contains("\\")
                ? Scenario.load(Path.of(nameOrPath)) : Scenario.load(nameOrPath);
    }

    private TapiApi api(String provider, TapiConfig config) {
        switch (provider) {
            case "scripted" -> {
                List<Scenario> scenarios = new ArrayList<>();
                for (String name : config.scriptedScenarios()) {
                    scenarios.add(scenario(name.trim()));
                }
                return new ScriptedPbx(scenarios, true, config.scriptedLoop());
            }
            case "tapi32" -> {
                String why = Tapi32Api.availability();
                if (why != null) {
                    linkChanged(new LinkState(LinkState.Status.DOWN, Instant.now(),
                            why + "; set provider=scripted (configuration org.callrec.tapi) to use the scripted PBX"));
                    return null;
                }
                return Tapi32Api.load();
            }
            default -> throw new IllegalArgumentException("provider '" + provider + "' is not one of tapi32, scripted");
        }
    }

    @Deactivate
    void deactivate() {
        TapiLink p = pump;
        pump = null;
        if (p != null) {
            p.stop();
        }
        if (pacing != null) {
            pacing.unregister();
            pacing = null;
        }
        ServiceRegistration<?> r;
        synchronized (this) { // linkChanged (pump thread) updates the registration under this lock
            r = registration;
            registration = null;
        }
        if (r != null) {
            r.unregister();
        }
    }

    private void deliver(CallEvent e) {
        for (CallEventListener l : listeners) {
            try {
                l.onCallEvent(e);
                delivered.incrementAndGet();
            } catch (RuntimeException x) {
                listenerFailures.incrementAndGet();
                LOG.warn("Call event listener {} failed on {} {}: {}", l.getClass().getName(), e.type(), e.callId(),
                        x.toString());
            }
        }
    }

    private synchronized void linkChanged(LinkState s) {
        LinkState old = link;
        link = s;
        if (old.status() != s.status()) {
            LOG.info("TAPI link ({}) {} -> {}{}", id, old.status(), s.status(),
                    s.lastError() == null ? "" : ": " + s.lastError());
        }
        if (registration != null) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(LINK_STATUS_PROPERTY, s.status().name());
            props.put(LINK_SINCE_PROPERTY, s.since().toString());
            if (s.lastError() != null) {
                props.put(LINK_ERROR_PROPERTY, s.lastError());
            }
            props.put("callrec.source", id);
            try {
                registration.setProperties(props);
            } catch (IllegalStateException e) {
                // unregistered meanwhile (deactivating)
            }
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public LinkState linkState() {
        return link;
    }

    @Override
    public HealthReport check() {
        LinkState s = link;
        HealthStatus status = switch (s.status()) {
            case UP -> HealthStatus.OK;
            case RECONNECTING -> HealthStatus.WARNING;
            case DOWN -> HealthStatus.CRITICAL;
        };
        List<String> details = new ArrayList<>();
        details.add("since " + s.since());
        if (s.lastError() != null) {
            details.add("last error: " + s.lastError());
        }
        TapiLink p = pump;
        if (p != null) {
            details.add("initialisations: " + p.initialisations() + ", watchdog re-initialisations: " + p.watchdogFirings());
        }
        details.add("events delivered: " + delivered.get() + ", listener failures: " + listenerFailures.get());
        return new HealthReport("call-control " + id, status, "TAPI link " + s.status(), details, Instant.now());
    }
}
