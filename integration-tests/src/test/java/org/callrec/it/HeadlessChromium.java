package org.callrec.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's Chromium, headless, driven over the DevTools protocol (a WebSocket, JSON messages):
 * enough to log in with a header, navigate, run script in the page and take screenshots.
 */
final class HeadlessChromium implements AutoCloseable {

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Object>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    static HeadlessChromium launch(Path profile) throws Exception {
        Files.createDirectories(profile);
        Process p = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
                "--window-size=1280,900", "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        // generous: on a loaded 2-core machine Chromium's first start has taken over 15 s
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(portFile) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (!Files.exists(portFile)) {
            p.destroyForcibly();
            throw new IllegalStateException("chromium did not start (" + (p.isAlive() ? "no DevTools port after 60 s"
                    : "exited") + "): " + Files.readString(profile.resolve("chromium.log")));
        }
        Thread.sleep(100);
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newHttpClient();
        // the port file can appear before the first tab is listed
        String targets = null;
        String ws = null;
        for (int i = 0; i < 100 && ws == null; i++) {
            if (i > 0) {
                Thread.sleep(100);
            }
            targets = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (Object t : (java.util.List<?>) MiniJson.parse(targets)) {
                if ("page".equals(MiniJson.at(t, "type"))) {
                    ws = (String) MiniJson.at(t, "webSocketDebuggerUrl");
                    break;
                }
            }
        }
        if (ws == null) {
            p.destroyForcibly();
            throw new IllegalStateException("no page target: " + targets);
        }
        HeadlessChromium[] holder = new HeadlessChromium[1];
        StringBuilder partial = new StringBuilder();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    holder[0].received(partial.toString());
                    partial.setLength(0);
                }
                w.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        holder[0] = new HeadlessChromium(p, socket);
        return holder[0];
    }

    private void received(String message) {
        Object m = MiniJson.parse(message);
        Object id = MiniJson.at(m, "id");
        if (id instanceof Double d) {
            CompletableFuture<Object> f = pending.remove(d.intValue());
            if (f != null) {
                Object error = MiniJson.at(m, "error");
                if (error != null) {
                    f.completeExceptionally(new IllegalStateException("DevTools error: " + message));
                } else {
                    f.complete(MiniJson.at(m, "result"));
                }
            }
        }
    }

    Object send(String method, String paramsJson) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<Object> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + paramsJson + "}", true).join();
        return f.get(20, TimeUnit.SECONDS);
    }

    void login(String user, String password) throws Exception {
        send("Network.enable", "{}");
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        send("Network.setExtraHTTPHeaders", "{\"headers\":{\"Authorization\":\"Basic " + basic + "\"}}");
    }

    void open(String url) throws Exception {
        send("Page.enable", "{}");
        send("Page.navigate", "{\"url\":" + quote(url) + "}");
        await("document.readyState === 'complete'", 10_000);
    }

    /** Evaluates a script expression in the page; returns its JSON value (strings, numbers, booleans). */
    Object eval(String expression) throws Exception {
        Object r = send("Runtime.evaluate", "{\"expression\":" + quote(expression)
                + ",\"returnByValue\":true,\"awaitPromise\":true}");
        if (MiniJson.at(r, "exceptionDetails") != null) {
            throw new IllegalStateException("script failed: " + expression + ": " + MiniJson.at(r, "exceptionDetails"));
        }
        return MiniJson.at(r, "result", "value");
    }

    /** Waits until a script expression is true. */
    void await(String condition, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            if (Boolean.TRUE.equals(eval("!!(" + condition + ")"))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for: " + condition + "; page text: "
                + eval("document.body ? document.body.innerText.substring(0, 2000) : ''"));
    }

    void screenshot(Path file) throws Exception {
        Object r = send("Page.captureScreenshot", "{\"format\":\"png\"}");
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode((String) MiniJson.at(r, "data")));
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        socket.abort();
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    static Duration timeout() {
        return Duration.ofSeconds(20);
    }
}
