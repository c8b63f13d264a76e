package org.callrec.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as an administrator uses it: started as a process on a fresh home, console login
 * with the printed password, the mode switched by dropping a file into conf/, import-config, and a
 * clean stop on SIGTERM.
 */
class RunnableJarIT {

    private static final Path JAR = Paths.get(System.getProperty("callrec.jar", "../assembly/target/callrec.jar"));
    private static final Pattern PASSWORD = Pattern.compile("user: admin\\s+password: (\\S+)");

    @TempDir
    Path home;

    private final List<Process> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A running runtime and everything it printed. */
    private record Runtime(Process process, List<String> out, int port) {
        String printed() {
            return String.join("\n", out);
        }
    }

    private Runtime start(Map<String, String> env) throws IOException {
        int port = ShippedRuntime.freePort();
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-Dcallrec.home=" + home, "-Dorg.osgi.service.http.port=" + port,
                "-jar", JAR.toAbsolutePath().toString(), "run").redirectErrorStream(true);
        pb.environment().remove("CALLREC_CONSOLE_PASSWORD");
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        List<String> out = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    out.add(line);
                }
            } catch (IOException e) {
                out.add("(reader: " + e + ")");
            }
        });
        reader.setDaemon(true);
        reader.start();
        return new Runtime(p, out, port);
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String javaBin() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    private int get(Runtime rt, String path, String user, String password) throws Exception {
        return request(rt, path, user, password).statusCode();
    }

    private HttpResponse<String> request(Runtime rt, String path, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.port() + path))
                .timeout(Duration.ofSeconds(10));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls until the console serves its Bundles page to the given login; returns the elapsed ms. */
    private long awaitConsole(Runtime rt, long t0, long timeoutMs, String password) throws Exception {
        long deadline = t0 + timeoutMs * 1_000_000;
        while (System.nanoTime() < deadline) {
            assertTrue(rt.process().isAlive(), () -> "runtime exited:\n" + rt.printed());
            try {
                int code = get(rt, "/system/console/bundles", "admin", password);
                if (code == 200) {
                    return (System.nanoTime() - t0) / 1_000_000;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("console did not answer within " + timeoutMs + " ms:\n" + rt.printed());
    }

    private static String passwordFrom(Runtime rt) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            Matcher m = PASSWORD.matcher(rt.printed());
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no password printed:\n" + rt.printed());
    }

    /** Mode bundle name to state, as the console's Bundles page reports them. */
    private Map<String, String> modeBundleStates(Runtime rt, String password) throws Exception {
        HttpResponse<String> r = request(rt, "/system/console/bundles.json", "admin", password);
        assertEquals(200, r.statusCode());
        Map<String, String> states = new TreeMap<>();
        Matcher m = Pattern.compile("\"symbolicName\":\"(callrec\\.(?:tapi|rtp|storage|capture\\.mirror|capture\\.wave|ha))\"")
                .matcher(r.body());
        while (m.find()) {
            // the state field of the same bundle object follows its name within the object
            int objStart = r.body().lastIndexOf('{', m.start());
            int objEnd = r.body().indexOf('}', m.end());
            Matcher s = Pattern.compile("\"state\":\"(\\w+)\"").matcher(r.body().substring(objStart, objEnd));
            states.put(m.group(1), s.find() ? s.group(1) : "?");
        }
        return states;
    }

    @Test
    void freshHomeStartsPrintsPasswordOnceAndRefusesAdminAdmin() throws Exception {
        long t0 = System.nanoTime();
        Runtime rt = start(Map.of());
        String password = passwordFrom(rt);
        long ms = awaitConsole(rt, t0, 30_000, password);
        System.out.println("console answered " + ms + " ms after the JVM was started");
        assertTrue(ms <= 15_000, "start to console took " + ms + " ms");

        assertEquals(200, get(rt, "/system/console/bundles", "admin", password));
        assertEquals(401, get(rt, "/system/console/bundles", "admin", "admin"));
        assertEquals(401, get(rt, "/system/console/bundles", null, null));
        assertEquals(401, get(rt, "/system/console/configMgr", "admin", password + "x"));

        String stored = Files.readString(home.resolve("data/console/admin.pbkdf2"));
        assertFalse(stored.contains(password), "only the hash is stored");
        assertTrue(rt.printed().contains("http://127.0.0.1:" + rt.port() + "/system/console"), rt.printed());

        // Ctrl-C (SIGINT): bundles stopped, log closed, exit. (Process.destroy would close our pipes.)
        new ProcessBuilder("kill", "-INT", String.valueOf(rt.process().pid())).start().waitFor();
        assertTrue(rt.process().waitFor(30, TimeUnit.SECONDS), "runtime did not stop on SIGINT");
        Thread.sleep(500);
        assertTrue(rt.printed().contains("callrec stopped cleanly"), rt.printed());
        String log = Files.readString(home.resolve("logs/callrec.log"));
        assertTrue(log.contains("callrec stopped cleanly"), "log file is written and closed");
        assertFalse(log.contains(password), "the password never reaches the log file");

        // a restart on the same home prints no password and the same one still works
        Runtime again = start(Map.of());
        awaitConsole(again, System.nanoTime(), 30_000, password);
        assertFalse(PASSWORD.matcher(again.printed()).find(), again.printed());
        assertEquals(200, get(again, "/system/console/bundles", "admin", password));
    }

    @Test
    void modeFileInConfSwitchesTheActiveBundleSetVisibleOnTheBundlesPage() throws Exception {
        Runtime rt = start(Map.of("CALLREC_CONSOLE_PASSWORD", "it-password-1234"));
        String pw = "it-password-1234";
        awaitConsole(rt, System.nanoTime(), 30_000, pw);
        assertFalse(Files.exists(home.resolve("data/console/admin.pbkdf2")), "no password generated when the environment sets one");
        Map<String, String> mirror = Map.of("callrec.capture.mirror", "Active", "callrec.capture.wave", "Installed",
                "callrec.ha", "Installed", "callrec.rtp", "Active", "callrec.storage", "Active", "callrec.tapi", "Active");
        awaitStates(rt, pw, mirror);

        Files.writeString(home.resolve("conf/org.callrec.core.mode.config"), "mode=\"shoretel-tapi-wave\"\n");
        awaitStates(rt, pw, Map.of("callrec.capture.mirror", "Resolved", "callrec.capture.wave", "Active",
                "callrec.ha", "Active", "callrec.rtp", "Active", "callrec.storage", "Active", "callrec.tapi", "Active"));
        assertTrue(waitFor(rt, "Integration mode shoretel-tapi -> shoretel-tapi-wave"), rt.printed());
    }

    private void awaitStates(Runtime rt, String pw, Map<String, String> expected) throws Exception {
        Map<String, String> last = null;
        for (int i = 0; i < 100; i++) {
            last = modeBundleStates(rt, pw);
            if (last.equals(new TreeMap<>(expected))) {
                return;
            }
            Thread.sleep(100);
        }
        assertEquals(new TreeMap<>(expected), last);
    }

    private static boolean waitFor(Runtime rt, String text) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            if (rt.printed().contains(text)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void importConfigWritesConfFilesOrRefusesWithTheReason() throws Exception {
        Path file = home.resolve("CallRecordingService.exe.config");
        Files.writeString(file, """
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <Tapi>
                    <add key="EnableDnis" value="true"/>
                    <add key="ShoreTelTapiWaveRoutePointExtension" value="7999"/>
                    <add key="TapiWaveBuffersPerDevice" value="12"/>
                    <add key="TapiWaveHeartbeatTimer" value="1000"/>
                  </Tapi>
                </configuration>
                """);
        Result ok = importConfig(file.toString(), "--mode", "shoretel-tapi-wave");
        assertEquals(0, ok.code(), ok.out());
        assertTrue(ok.out().contains("WARNING TapiWaveBuffersPerDevice: 12 buffers accepted, but values above 8 give no gain"), ok.out());
        assertEquals(List.of("ShoreTelTapiWaveRoutePointExtension=\"7999\"", "TapiWaveBuffersPerDevice=I\"12\""),
                Files.readAllLines(home.resolve("conf/org.callrec.capture.wave.config")));
        assertTrue(Files.readString(home.resolve("conf/org.callrec.ha.config")).contains("TapiWaveHeartbeatTimer=I\"1000\""));

        Path bad = home.resolve("bad.config");
        Files.writeString(bad, "<configuration><Tapi><add key=\"TapiWaveHeartbeatReceivePort\" value=\"0\"/></Tapi></configuration>");
        Result refused = importConfig(bad.toString(), "--mode", "shoretel-tapi-wave");
        assertEquals(1, refused.code(), refused.out());
        assertTrue(refused.out().contains("TapiWaveHeartbeatReceivePort: value '0' is not valid; allowed: a port number 1-65535"),
                refused.out());
        assertTrue(refused.out().contains("ShoreTelTapiWaveRoutePointExtension: missing; it is required"), refused.out());
        assertTrue(Files.readString(home.resolve("conf/org.callrec.ha.config")).contains("TapiWaveHeartbeatTimer=I\"1000\""),
                "a refused import changes nothing");

        Files.writeString(bad, "<configuration><Tapi>");
        Result malformed = importConfig(bad.toString());
        assertEquals(2, malformed.code());
        assertTrue(malformed.out().contains("not a well-formed XML configuration file"), malformed.out());
    }

    private record Result(int code, String out) {
    }

    private Result importConfig(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Dcallrec.home=" + home, "-jar",
                JAR.toAbsolutePath().toString(), "import-config"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertNotNull(out);
        return new Result(p.exitValue(), out);
    }
}
