package org.callrec.it;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;

import org.ops4j.pax.exam.Option;

/**
 * Pax Exam options that boot exactly the bundle set the runnable jar ships (unpacked from it by the
 * build), with the start levels and framework properties the launcher uses.
 */
final class ShippedRuntime {

    static final int BEGINNING_LEVEL = 10;
    static final int DORMANT_LEVEL = 20;

    private ShippedRuntime() {
    }

    static Option[] options(String name, Option... extra) {
        Path dir = Paths.get(System.getProperty("callrec.itdir", "target/it")).resolve(name).toAbsolutePath();
        Path conf = dir.resolve("conf");
        Path data = dir.resolve("data");
        try {
            deleteTree(dir);
            Files.createDirectories(conf);
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Option> o = new ArrayList<>();
        o.add(junitBundles());
        o.add(systemPackages("org.slf4j;version=2.0.17", "org.slf4j.event;version=2.0.17",
                "org.slf4j.helpers;version=2.0.17", "org.slf4j.spi;version=2.0.17", "org.slf4j;version=1.7.36",
                "org.slf4j.event;version=1.7.36", "org.slf4j.helpers;version=1.7.36", "org.slf4j.spi;version=1.7.36"));
        o.add(frameworkStartLevel(BEGINNING_LEVEL));
        o.add(frameworkProperty("callrec.mode.startlevel.active").value(String.valueOf(BEGINNING_LEVEL)));
        o.add(frameworkProperty("callrec.mode.startlevel.dormant").value(String.valueOf(DORMANT_LEVEL)));
        o.add(frameworkProperty("callrec.home").value(dir.toString()));
        o.add(frameworkProperty("callrec.data").value(data.toString()));
        o.add(frameworkProperty("callrec.conf").value(conf.toString()));
        o.add(frameworkProperty("felix.cm.dir").value(data.resolve("config").toString()));
        o.add(frameworkProperty("felix.fileinstall.dir").value(conf.toString()));
        o.add(frameworkProperty("felix.fileinstall.filter").value("^(?!CallRecordingService).*\\.(cfg|config)$"));
        o.add(frameworkProperty("felix.fileinstall.poll").value("200"));
        o.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        o.add(frameworkProperty("org.osgi.service.http.port").value(String.valueOf(freePort())));
        o.add(frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"));
        o.add(frameworkProperty("felix.webconsole.security.providers").value("callrec"));
        o.add(frameworkProperty("gosh.args").value("--nointeractive"));
        for (File f : shippedBundles()) {
            boolean mode = isModeBundle(f);
            o.add(bundle(f.toURI().toString()).startLevel(mode ? DORMANT_LEVEL : 1).start(true));
        }
        o.addAll(Arrays.asList(extra));
        return o.toArray(Option[]::new);
    }

    static List<File> shippedBundles() {
        File dir = new File(System.getProperty("callrec.shipped", "target/shipped/bundles"));
        File[] jars = dir.listFiles((d, n) -> n.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("no shipped bundles in " + dir + ": build the assembly first");
        }
        Arrays.sort(jars);
        return Arrays.asList(jars);
    }

    static boolean isModeBundle(File jar) {
        try (JarFile j = new JarFile(jar)) {
            String caps = j.getManifest().getMainAttributes().getValue("Provide-Capability");
            return caps != null && caps.matches("(?s)(^|.*,)\\s*callrec\\.mode\\s*;.*");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A fresh directory for one test's files (audio, captures, sipp scenarios), under the build's
     * target folder rather than /tmp: kept after a failure for a look, gone with the next clean build.
     */
    static Path scratch(String prefix) throws IOException {
        Path root = Paths.get(System.getProperty("callrec.itdir", "target/it")).resolve("scratch").toAbsolutePath();
        Files.createDirectories(root);
        return Files.createTempDirectory(root, prefix);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
