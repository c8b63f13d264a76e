package org.callrec.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code callrec import <file.pcap|file.pcapng> [--scenario FILE] --out DIR}: records every call of a
 * capture file.
 * It starts the shipped runtime in-process on a throw-away home (port-mirror mode, no console, the
 * users and recorder settings copied from {@code conf/}), so the file goes through exactly the
 * bundles that record live (passive SIP, recorder, correlation, play-out, storage) rather than a
 * second wiring of them that could drift; the import itself runs in callrec.capture.mirror and is
 * reached as a plain {@link Function} service. With {@code --scenario} the call events come from the
 * TAPI provider's scripted PBX playing that scenario on the capture file's clock (configured here as
 * {@code provider=scripted, scriptedClock=capture}) instead of the SIP in the file.
 */
final class CaptureImportCommand {

    private static final long START_TIMEOUT_MS = 60_000;

    private final Path home;

    CaptureImportCommand(Path home) {
        this.home = home;
    }

    int run(String[] args) throws IOException {
        Path file = null;
        Path out = null;
        Path scenario = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) {
                out = Path.of(args[++i]);
            } else if (args[i].equals("--scenario") && i + 1 < args.length) {
                scenario = Path.of(args[++i]).toAbsolutePath();
            } else if (file == null && !args[i].startsWith("--")) {
                file = Path.of(args[i]);
            } else {
                System.err.println("callrec import: unexpected argument '" + args[i] + "'");
                return usage();
            }
        }
        if (file == null || out == null) {
            return usage();
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            System.err.println("callrec import: cannot read " + file + ": " + (Files.exists(file)
                    ? "not a readable file" : "no such file"));
            return 2;
        }
        if (scenario != null && (!Files.isRegularFile(scenario) || !Files.isReadable(scenario))) {
            System.err.println("callrec import: cannot read scenario file " + scenario + ": " + (Files.exists(scenario)
                    ? "not a readable file" : "no such file"));
            return 2;
        }
        Path tmp = Files.createTempDirectory("callrec-import");
        try {
            Path conf = Files.createDirectories(tmp.resolve("conf"));
            int users = copySettings(conf);
            Files.writeString(conf.resolve("org.callrec.core.mode.config"), "mode=\"shoretel-tapi\"\n");
            if (scenario != null) {
                // the same TAPI provider as live, its scripted PBX paced by the file being read
                Files.writeString(conf.resolve("org.callrec.tapi.config"), "provider=\"scripted\"\n"
                        + "scriptedClock=\"capture\"\nscriptedLoop=B\"false\"\nscriptedScenarios=[\""
                        + quoted(scenario.toString()) + "\"]\n");
            }
            Map<String, String> props = new Launcher(home).frameworkProperties();
            props.put("callrec.data", tmp.resolve("data").toString());
            props.put("callrec.logs", tmp.resolve("logs").toString());
            props.put("callrec.conf", conf.toString());
            props.put("felix.fileinstall.dir", conf.toString());
            props.put("felix.fileinstall.poll", "200");
            props.put("felix.cm.dir", tmp.resolve("data/config").toString());
            props.put("org.osgi.framework.storage", tmp.resolve("data/felix-cache").toString());
            props.put("org.apache.felix.http.enable", "false"); // a running recorder may hold the console port
            System.setProperty("callrec.logs", props.get("callrec.logs"));
            Logger log = LoggerFactory.getLogger("callrec");
            FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, Launcher.class.getClassLoader())
                    .findFirst().orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
            Framework fw = factory.newFramework(props);
            try {
                fw.init();
                Launcher.install(fw.getBundleContext(), log);
                fw.start();
                return importIn(fw.getBundleContext(), file, out, users, scenario != null);
            } catch (BundleException e) {
                System.err.println("callrec import: the runtime did not start: " + e.getMessage());
                return 1;
            } finally {
                Launcher.stop(fw, log);
            }
        } finally {
            deleteTree(tmp);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int importIn(BundleContext ctx, Path file, Path out, int users, boolean scenario) {
        ServiceTracker<Function, Function> t;
        try {
            t = new ServiceTracker<>(ctx, ctx.createFilter("(&(objectClass=" + Function.class.getName()
                    + ")(callrec.command=import))"), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        t.open();
        try {
            Function<String[], Integer> cmd = t.waitForService(START_TIMEOUT_MS);
            if (cmd == null) {
                System.err.println("callrec import: the port-mirror import did not come up within "
                        + START_TIMEOUT_MS / 1000 + " s (see the log above)");
                return 1;
            }
            return cmd.apply(new String[] {file.toAbsolutePath().toString(), out.toAbsolutePath().toString(),
                String.valueOf(users), scenario ? "scenario" : "sip"});
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            t.close();
        }
    }

    /** Users and the recorder's settings from conf/: who is recorded decides what the import records. */
    private int copySettings(Path conf) throws IOException {
        Path src = home.resolve("conf");
        int users = 0;
        if (!Files.isDirectory(src)) {
            return 0;
        }
        try (var files = Files.list(src)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                boolean user = n.startsWith("org.callrec.core.user-") && (n.endsWith(".config") || n.endsWith(".cfg"));
                if (user || n.startsWith("org.callrec.core.recorder.") || n.startsWith("org.callrec.sip.passive.")) {
                    Files.copy(f, conf.resolve(n));
                    users += user ? 1 : 0;
                }
            }
        }
        return users;
    }

    private static int usage() {
        System.err.println("usage: callrec import <file.pcap|file.pcapng> [--scenario SCENARIO.json] --out DIR");
        System.err.println("  call boundaries from the SIP in the file, or with --scenario from a scripted PBX scenario"
                + " played on the file's clock");
        return 2;
    }

    /** A string inside the double quotes of a Felix .config value. */
    private static String quoted(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static void deleteTree(Path dir) throws IOException {
        List<Path> all = new ArrayList<>();
        try (var walk = Files.walk(dir)) {
            walk.forEach(all::add);
        }
        all.sort(Comparator.reverseOrder());
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
