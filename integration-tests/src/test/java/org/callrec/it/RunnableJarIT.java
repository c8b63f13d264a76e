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

    private static final Pattern PASSWORD = Pattern.compile("user: admin\\s+password: (\\S+)");

    @TempDir
    Path home;

    private final List<RunningRuntime> started = new ArrayList<>();

    private RunningRuntime start(Map<String, String> env) throws IOException {
        RunningRuntime rt = RunningRuntime.start(home, env);
        started.add(rt);
        return rt;
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (RunningRuntime rt : started) {
            rt.close();
        }
    }

    private static String passwordFrom(RunningRuntime rt) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            Matcher m = PASSWORD.matcher(rt.printed());
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no password printed:\n" + rt.printed());
    }

    private static int get(RunningRuntime rt, String path, String user, String password) throws Exception {
        return rt.get(path, user, password).statusCode();
    }

    /** Mode bundle name to state, as the console's Bundles page reports them. */
    private static Map<String, String> modeBundleStates(RunningRuntime rt, String password) throws Exception {
        HttpResponse<String> r = rt.get("/system/console/bundles.json", "admin", password);
        assertEquals(200, r.statusCode());
        Map<String, String> states = new TreeMap<>();
        Matcher m = Pattern.compile("\"symbolicName\":\"(callrec\\.(?:tapi|rtp|storage|capture\\.mirror|capture\\.wave|ha))\"")
                .matcher(r.body());
        while (m.find()) {
            // the state field of the same bundle object follows its name within the object
            int objStart = r.body().lastIndexOf('{', m.start());
            int objEnd = r.body().indexOf('}', m.end());
            Matcher st = Pattern.compile("\"state\":\"(\\w+)\"").matcher(r.body().substring(objStart, objEnd));
            states.put(m.group(1), st.find() ? st.group(1) : "?");
        }
        return states;
    }

    @Test
    void freshHomeStartsPrintsPasswordOnceAndRefusesAdminAdmin() throws Exception {
        long t0 = System.nanoTime();
        RunningRuntime rt = start(Map.of());
        String password = passwordFrom(rt);
        long ms = rt.awaitConsole(t0, 30_000, "admin", password);
        System.out.println("console answered " + ms + " ms after the JVM was started");
        assertTrue(ms <= 15_000, "start to console took " + ms + " ms");

        assertEquals(200, get(rt, "/system/console/bundles", "admin", password));
        assertEquals(401, get(rt, "/system/console/bundles", "admin", "admin"));
        assertEquals(401, get(rt, "/system/console/bundles", null, null));
        assertEquals(401, get(rt, "/system/console/configMgr", "admin", password + "x"));

        String stored = Files.readString(home.resolve("data/console/admin.pbkdf2"));
        assertFalse(stored.contains(password), "only the hash is stored");
        assertTrue(rt.printed().contains("http://127.0.0.1:" + rt.port + "/system/console"), rt.printed());

        // Ctrl-C (SIGINT): bundles stopped, log closed, exit
        assertTrue(rt.interrupt(30), "runtime did not stop on SIGINT");
        Thread.sleep(500);
        assertTrue(rt.printed().contains("callrec stopped cleanly"), rt.printed());
        String log = Files.readString(home.resolve("logs/callrec.log"));
        assertTrue(log.contains("callrec stopped cleanly"), "log file is written and closed");
        assertFalse(log.contains(password), "the password never reaches the log file");

        // a restart on the same home prints no password and the same one still works
        RunningRuntime again = start(Map.of());
        again.awaitConsole(System.nanoTime(), 30_000, "admin", password);
        assertFalse(PASSWORD.matcher(again.printed()).find(), again.printed());
        assertEquals(200, get(again, "/system/console/bundles", "admin", password));
    }

    @Test
    void modeFileInConfSwitchesTheActiveBundleSetVisibleOnTheBundlesPage() throws Exception {
        RunningRuntime rt = start(Map.of("CALLREC_CONSOLE_PASSWORD", "it-password-1234"));
        String pw = "it-password-1234";
        rt.awaitConsole(System.nanoTime(), 30_000, "admin", pw);
        assertFalse(Files.exists(home.resolve("data/console/admin.pbkdf2")), "no password generated when the environment sets one");
        Map<String, String> mirror = Map.of("callrec.capture.mirror", "Active", "callrec.capture.wave", "Installed",
                "callrec.ha", "Installed", "callrec.rtp", "Active", "callrec.storage", "Active", "callrec.tapi", "Active");
        awaitStates(rt, pw, mirror);

        Files.writeString(home.resolve("conf/org.callrec.core.mode.config"), "mode=\"shoretel-tapi-wave\"\n");
        awaitStates(rt, pw, Map.of("callrec.capture.mirror", "Resolved", "callrec.capture.wave", "Active",
                "callrec.ha", "Active", "callrec.rtp", "Active", "callrec.storage", "Active", "callrec.tapi", "Active"));
        assertTrue(rt.waitFor("Integration mode shoretel-tapi -> shoretel-tapi-wave", 5000), rt.printed());
    }

    private void awaitStates(RunningRuntime rt, String pw, Map<String, String> expected) throws Exception {
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
        List<String> cmd = RunningRuntime.command("-Dcallrec.home=" + home, "-jar",
                RunningRuntime.JAR.toAbsolutePath().toString(), "import-config");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertNotNull(out);
        return new Result(p.exitValue(), out);
    }
}
