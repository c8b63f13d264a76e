package org.callrec.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** The runnable jar started as a process on a given home, with an HTTP client for its console. */
final class RunningRuntime implements AutoCloseable {

    static final Path JAR = Paths.get(System.getProperty("callrec.jar", "../assembly/target/callrec.jar"));

    final Process process;
    final List<String> out = new CopyOnWriteArrayList<>();
    final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private RunningRuntime(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static RunningRuntime start(Path home, Map<String, String> env) throws IOException {
        return start(home, env, "run");
    }

    static RunningRuntime start(Path home, Map<String, String> env, String command) throws IOException {
        int port = ShippedRuntime.freePort();
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-Dcallrec.home=" + home, "-Dorg.osgi.service.http.port=" + port,
                "-jar", JAR.toAbsolutePath().toString(), command).redirectErrorStream(true);
        pb.environment().remove("CALLREC_CONSOLE_PASSWORD");
        pb.environment().putAll(env);
        RunningRuntime rt = new RunningRuntime(pb.start(), port);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(rt.process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    rt.out.add(line);
                }
            } catch (IOException e) {
                rt.out.add("(reader: " + e + ")");
            }
        });
        reader.setDaemon(true);
        reader.start();
        return rt;
    }

    static String javaBin() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    String printed() {
        return String.join("\n", out);
    }

    HttpResponse<String> get(String path, String user, String password) throws IOException, InterruptedException {
        return http.send(request(path, user, password).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    byte[] getBytes(String path, String user, String password) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(request(path, user, password).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException(path + ": HTTP " + r.statusCode());
        }
        return r.body();
    }

    HttpResponse<String> post(String path, String user, String password, Map<String, String> headers, String form)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = request(path, user, password).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String user, String password) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    /**
     * Polls until the console serves its Bundles page to the login; returns the ms since t0. Then
     * waits for the start-up mode switch too: the console's bundle list can fail while bundles
     * are changing state, which is the start-up switch's doing, so later requests start after it.
     */
    long awaitConsole(long t0, long timeoutMs, String user, String password) throws Exception {
        long deadline = t0 + timeoutMs * 1_000_000;
        while (System.nanoTime() < deadline) {
            assertTrue(process.isAlive(), () -> "runtime exited:\n" + printed());
            try {
                if (get("/system/console/bundles", user, password).statusCode() == 200) {
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    if (!waitFor("Integration mode (start-up) ->", Math.max(1000, (deadline - System.nanoTime()) / 1_000_000))) {
                        throw new AssertionError("no start-up mode switch logged:\n" + printed());
                    }
                    return ms;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("console did not answer within " + timeoutMs + " ms:\n" + printed());
    }

    /** Sends SIGINT, as Ctrl-C does (Process.destroy would close our pipes), and waits for the exit. */
    boolean interrupt(long timeoutSeconds) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
        return process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    }

    boolean waitFor(String text, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            if (printed().contains(text)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(javaBin()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
