package org.callrec.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * {@code callrec import-config <file>}: runs callrec.core's importer outside the framework, on a
 * class loader over the embedded bundles it needs. It validates the file and writes
 * {@code conf/<pid>.config} files, which fileinstall applies (at the next start, or within a second
 * when the runtime is running).
 */
final class ConfigImportCommand {

    private static final Set<String> NEEDED = Set.of("callrec.core", "callrec.api",
            "org.apache.commons.commons-configuration2", "org.apache.commons.lang3",
            "org.apache.commons.text", "org.apache.commons.commons-logging",
            "org.apache.commons.commons-io");

    private final Path home;

    ConfigImportCommand(Path home) {
        this.home = home;
    }

    int run(String[] args) throws IOException {
        List<String> full = new ArrayList<>(Arrays.asList(args));
        if (!full.contains("--conf")) {
            full.add("--conf");
            full.add(home.resolve("conf").toString());
        }
        Path tmp = Files.createTempDirectory("callrec-import");
        try (JarFile self = new JarFile(Launcher.selfJar().toFile())) {
            List<URL> urls = new ArrayList<>();
            for (EmbeddedBundle eb : EmbeddedBundle.list(self)) {
                if (NEEDED.contains(eb.symbolicName())) {
                    Path jar = tmp.resolve(eb.symbolicName() + ".jar");
                    try (InputStream in = self.getInputStream(self.getEntry(eb.entry()))) {
                        Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
                    }
                    urls.add(jar.toUri().toURL());
                }
            }
            if (urls.size() != NEEDED.size()) {
                throw new IllegalStateException("the runnable jar lacks some of " + NEEDED);
            }
            try (URLClassLoader cl = new URLClassLoader(urls.toArray(URL[]::new), Main.class.getClassLoader())) {
                Class<?> cmd = cl.loadClass("org.callrec.core.internal.qms.ImportConfigCommand");
                Method m = cmd.getDeclaredMethod("run", String[].class, java.io.PrintStream.class, java.io.PrintStream.class);
                m.setAccessible(true);
                return (Integer) m.invoke(null, full.toArray(String[]::new), System.out, System.err);
            } catch (ReflectiveOperationException e) {
                Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
                throw new IllegalStateException("import-config failed: " + cause, cause);
            }
        } finally {
            try (var files = Files.list(tmp)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(tmp);
        }
    }
}
