package org.callrec.core.internal.mode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.callrec.api.mode.IntegrationMode;
import org.callrec.api.mode.ModeController;
import org.callrec.api.mode.ModeSwitch;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Activates the configured mode's bundle set. Mode bundles are installed at a start level above
 * the framework's ("dormant"), so none runs before the mode is known; the chosen mode's bundles are
 * moved down to the framework's level (the framework starts them), the others back up (the
 * framework stops them, keeping them installed and resolved). Bundles in every mode stay running.
 */
@Component(service = ModeController.class, configurationPid = ModeController.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = ModeConfig.class)
public final class ModeSwitcher implements ModeController {

    /** Framework property: start level at which mode bundles run (default: the beginning start level). */
    static final String ACTIVE_LEVEL_PROPERTY = "callrec.mode.startlevel.active";
    /** Framework property: start level at which mode bundles sleep (default: active + 10). */
    static final String DORMANT_LEVEL_PROPERTY = "callrec.mode.startlevel.dormant";

    private static final Logger LOG = LoggerFactory.getLogger(ModeSwitcher.class);
    private static final long SETTLE_TIMEOUT_MS = 10_000;

    private final ExecutorService switcher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "callrec-mode-switch");
        t.setDaemon(true);
        return t;
    });
    private BundleContext context;
    private volatile IntegrationMode mode;
    private volatile ModeSwitch lastSwitch;

    @Activate
    void activate(BundleContext ctx, ModeConfig config) {
        this.context = ctx;
        apply(config);
    }

    @Modified
    void modified(ModeConfig config) {
        apply(config);
    }

    @Deactivate
    void deactivate() {
        switcher.shutdownNow();
    }

    @Override
    public IntegrationMode mode() {
        return mode;
    }

    @Override
    public Optional<ModeSwitch> lastSwitch() {
        return Optional.ofNullable(lastSwitch);
    }

    private void apply(ModeConfig config) {
        IntegrationMode target;
        try {
            target = IntegrationMode.fromId(config.mode());
        } catch (IllegalArgumentException e) {
            LOG.error("Configuration {}: mode '{}' rejected: {}; keeping {}", PID, config.mode(), e.getMessage(),
                    mode == null ? "no mode active" : mode.id());
            return;
        }
        IntegrationMode previous = mode;
        mode = target;
        // Start levels settle asynchronously; switch and report off the configuration thread.
        switcher.execute(() -> switchTo(previous, target));
    }

    private void switchTo(IntegrationMode from, IntegrationMode to) {
        Instant at = Instant.now();
        long t0 = System.nanoTime();
        int active = activeLevel();
        int dormant = dormantLevel(active);
        List<ModeBundle> bundles = ModeBundle.find(context.getBundles());
        List<String> started = new ArrayList<>();
        List<String> stopped = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (ModeBundle mb : bundles) {
            Bundle b = mb.bundle();
            BundleStartLevel bsl = b.adapt(BundleStartLevel.class);
            boolean wanted = mb.belongsTo(to);
            boolean running = b.getState() == Bundle.ACTIVE || b.getState() == Bundle.STARTING;
            try {
                if (wanted) {
                    bsl.setStartLevel(active);
                    if (!bsl.isPersistentlyStarted()) {
                        b.start(); // launchers that install without starting
                    }
                    if (!running) {
                        started.add(mb.name());
                    }
                } else {
                    bsl.setStartLevel(dormant);
                    if (running) {
                        stopped.add(mb.name());
                    }
                }
            } catch (BundleException | IllegalStateException e) {
                problems.add(mb.name() + ": " + e.getMessage());
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_TIMEOUT_MS);
        for (ModeBundle mb : bundles) {
            int want = mb.belongsTo(to) ? Bundle.ACTIVE : Bundle.RESOLVED;
            while (!settled(mb.bundle(), want) && System.nanoTime() < deadline) {
                sleep();
            }
            if (!settled(mb.bundle(), want)) {
                problems.add(mb.name() + " did not become " + (want == Bundle.ACTIVE ? "ACTIVE" : "RESOLVED")
                        + " (state " + mb.bundle().getState() + ")");
            }
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        lastSwitch = new ModeSwitch(from, to, at, millis, started, stopped, problems);
        if (problems.isEmpty()) {
            LOG.info("Integration mode {} -> {} in {} ms: started {}, stopped {}",
                    from == null ? "(start-up)" : from.id(), to.id(), millis, started, stopped);
        } else {
            LOG.error("Integration mode {} -> {} in {} ms: started {}, stopped {}; problems: {}",
                    from == null ? "(start-up)" : from.id(), to.id(), millis, started, stopped, problems);
        }
    }

    private static boolean settled(Bundle b, int want) {
        int s = b.getState();
        return want == Bundle.ACTIVE ? s == Bundle.ACTIVE : (s == Bundle.RESOLVED || s == Bundle.INSTALLED);
    }

    private int activeLevel() {
        String p = context.getProperty(ACTIVE_LEVEL_PROPERTY);
        if (p == null) {
            p = context.getProperty(Constants.FRAMEWORK_BEGINNING_STARTLEVEL);
        }
        return parseLevel(p, 1);
    }

    private int dormantLevel(int active) {
        return parseLevel(context.getProperty(DORMANT_LEVEL_PROPERTY), active + 10);
    }

    private static int parseLevel(String p, int dflt) {
        if (p == null || p.isBlank()) {
            return dflt;
        }
        try {
            return Integer.parseInt(p.trim());
        } catch (NumberFormatException e) {
            LOG.warn("Start level '{}' is not a number; using {}", p, dflt);
            return dflt;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while switching mode", e);
        }
    }
}
