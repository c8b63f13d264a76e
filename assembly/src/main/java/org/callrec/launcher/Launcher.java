package org.callrec.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.jar.JarFile;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Felix with the bundles embedded in this jar. Base bundles run at start level 1; mode
 * bundles are installed at a start level above the framework's, so none of them runs until the
 * mode controller (in callrec.core) moves the configured mode's set down. A shutdown hook stops the
 * framework (every bundle stopped, files closed) on Ctrl-C or SIGTERM.
 */
final class Launcher {

    static final int BEGINNING_LEVEL = 10;
    static final int DORMANT_LEVEL = 20;
    /** The capability mode bundles declare (IntegrationMode.CAPABILITY_NAMESPACE; the API is not on this class path). */
    static final String MODE_NAMESPACE = "callrec.mode";

    private final Path home;

    Launcher(Path home) {
        this.home = home;
    }

    int run() throws IOException {
        long t0 = System.nanoTime();
        Map<String, String> props = frameworkProperties();
        // logback reads these while the first logger is created
        System.setProperty("callrec.logs", props.get("callrec.logs"));
        Path logback = home.resolve("conf").resolve("logback.xml");
        if (System.getProperty("logback.configurationFile") == null && Files.isRegularFile(logback)) {
            System.setProperty("logback.configurationFile", logback.toString());
        }
        Logger log = LoggerFactory.getLogger("callrec");
        for (String dir : new String[] {"callrec.data", "callrec.conf", "callrec.logs"}) {
            Files.createDirectories(Paths.get(props.get(dir)));
        }

        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, Launcher.class.getClassLoader())
                .findFirst().orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
        Framework fw = factory.newFramework(props);
        try {
            fw.init();
            install(fw.getBundleContext(), log);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(fw, log), "callrec-shutdown"));
            fw.start();
        } catch (BundleException e) {
            log.error("The framework did not start: {}", e.getMessage(), e);
            return 1;
        }
        log.info("callrec started in {} ms; console at {} (home {})", (System.nanoTime() - t0) / 1_000_000,
                consoleUrl(props), home);
        try {
            fw.waitForStop(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    static void install(BundleContext ctx, Logger log) throws IOException, BundleException {
        try (JarFile self = new JarFile(selfJar().toFile())) {
            List<EmbeddedBundle> bundles = EmbeddedBundle.list(self);
            if (bundles.isEmpty()) {
                throw new IllegalStateException(selfJar() + " holds no bundles: was it built by the assembly module?");
            }
            int dormant = 0;
            for (EmbeddedBundle eb : bundles) {
                Bundle b;
                try (InputStream in = self.getInputStream(self.getEntry(eb.entry()))) {
                    b = ctx.installBundle("callrec:" + eb.entry(), in);
                }
                if ((b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0) {
                    continue;
                }
                // the framework parsed the manifest: ask it, as the mode controller does, not a regex
                boolean modeBundle = !b.adapt(BundleRevision.class).getDeclaredCapabilities(MODE_NAMESPACE).isEmpty();
                b.adapt(BundleStartLevel.class).setStartLevel(modeBundle ? DORMANT_LEVEL : 1);
                dormant += modeBundle ? 1 : 0;
                b.start(); // persistent: a dormant bundle starts when its level is lowered
            }
            log.info("Installed {} bundles ({} mode bundles dormant until the mode controller activates them)",
                    bundles.size(), dormant);
        }
    }

    static void stop(Framework fw, Logger log) {
        if ((fw.getState() & (Bundle.ACTIVE | Bundle.STARTING)) == 0) {
            return;
        }
        log.info("Stopping callrec: stopping bundles");
        try {
            fw.stop();
            fw.waitForStop(30_000);
            log.info("callrec stopped cleanly");
        } catch (BundleException | InterruptedException e) {
            log.error("callrec did not stop cleanly: {}", e.getMessage());
        }
        org.slf4j.ILoggerFactory lf = LoggerFactory.getILoggerFactory();
        if (lf instanceof ch.qos.logback.classic.LoggerContext lc) {
            lc.stop(); // flush and close the log file
        }
    }

    /** Defaults from the jar, then {@code conf/framework.properties}, then {@code -D} system properties. */
    Map<String, String> frameworkProperties() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Launcher.class.getResourceAsStream("/callrec-framework.properties")) {
            p.load(in);
        }
        Path custom = home.resolve("conf").resolve("framework.properties");
        if (Files.isRegularFile(custom)) {
            try (InputStream in = Files.newInputStream(custom)) {
                p.load(in);
            }
        }
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("callrec.") || k.startsWith("org.osgi.") || k.startsWith("org.apache.felix.")
                    || k.startsWith("felix.") || k.startsWith("gosh.") || k.startsWith("ds.")) {
                p.setProperty(k, System.getProperty(k));
            }
        }
        p.putIfAbsent("callrec.home", home.toString());
        p.putIfAbsent("callrec.data", home.resolve("data").toString());
        p.putIfAbsent("callrec.logs", home.resolve("logs").toString());
        p.putIfAbsent("callrec.conf", home.resolve("conf").toString());
        Map<String, String> out = new HashMap<>();
        for (String k : p.stringPropertyNames()) {
            out.put(k, substitute(p.getProperty(k), p));
        }
        out.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, String.valueOf(BEGINNING_LEVEL));
        out.put("callrec.mode.startlevel.dormant", String.valueOf(DORMANT_LEVEL));
        if (!Boolean.parseBoolean(out.getOrDefault("callrec.shell", "false"))) {
            out.put("gosh.args", "--nointeractive");
        }
        return out;
    }

    private static String substitute(String v, Properties p) {
        for (String k : new String[] {"callrec.home", "callrec.data", "callrec.logs", "callrec.conf"}) {
            v = v.replace("${" + k + "}", p.getProperty(k));
        }
        return v;
    }

    private static String consoleUrl(Map<String, String> props) {
        String host = props.getOrDefault("org.apache.felix.http.host", "0.0.0.0");
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + props.getOrDefault("org.osgi.service.http.port", "8080") + "/system/console";
    }

    static Path selfJar() {
        try {
            return Paths.get(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
