package org.callrec.capture.wave.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * sipp (Debian sip-tester) as the PBX's Route Point on loopback: a scenario from the test resources
 * with its ${...} filled in, run as a process until it has handled the given number of calls.
 * A missing sipp fails the test with how to install it: integration-tests/run-tests does.
 */
final class Sipp implements AutoCloseable {

    final int sipPort;
    final int mediaPort;
    final Path dir;
    private final Process process;
    private final Path log;

    private Sipp(int sipPort, int mediaPort, Path dir, Process process, Path log) {
        this.sipPort = sipPort;
        this.mediaPort = mediaPort;
        this.dir = dir;
        this.process = process;
        this.log = log;
    }

    static void requireTools(String... tools) {
        for (String t : tools) {
            boolean found = false;
            for (String p : System.getenv("PATH").split(":")) {
                found |= Files.isExecutable(Path.of(p, t));
            }
            assertTrue(found, t + " is not installed: run integration-tests/run-tests, which installs the Debian "
                    + "packages these tests need (sip-tester, sox, espeak-ng)");
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * @param scenario resource name under sipp/
     * @param values the ${...} values
     * @param calls sipp exits after this many calls
     * @param dir working folder (trace files)
     */
    static Sipp start(String scenario, Map<String, String> values, int calls, Path dir) throws IOException,
            InterruptedException {
        return start(scenario, values, calls, dir, "u1");
    }

    static int freeTcpPort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * @param transport sipp's -t: u1 (UDP) or t1 (TCP, one socket per peer; Debian's sipp has no TLS)
     */
    static Sipp start(String scenario, Map<String, String> values, int calls, Path dir, String transport)
            throws IOException, InterruptedException {
        requireTools("sipp");
        String xml;
        try (var in = Sipp.class.getResourceAsStream("/sipp/" + scenario)) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            xml = xml.replace("${" + e.getKey() + "}", e.getValue());
        }
        assertTrue(!xml.contains("${"), "unfilled placeholder in " + scenario);
        Path sf = dir.resolve(scenario);
        Files.writeString(sf, xml);
        int port = transport.startsWith("t") ? freeTcpPort() : freeUdpPort();
        // sipp binds four media ports from -mp (audio and video RTP/RTCP): none may be its SIP port
        int media;
        do {
            media = freeUdpPort() & ~3;
        } while (port >= media && port <= media + 3);
        Path log = dir.resolve(scenario + ".out");
        List<String> cmd = new ArrayList<>(List.of("sipp", "-sf", sf.toString(), "-i", "127.0.0.1", "-p",
                String.valueOf(port), "-mi", "127.0.0.1", "-mp", String.valueOf(media), "-m", String.valueOf(calls),
                "-timeout", "90s", "-trace_err", "-trace_msg", "-nostdin", "-t", transport));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Thread.sleep(300); // sipp binds its sockets before it reads anything
        assertTrue(p.isAlive(), () -> "sipp did not start: " + read(log));
        return new Sipp(port, media, dir, p, log);
    }

    /** @return sipp's exit code (0: every call as scripted) once it ended */
    int await(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroy();
            throw new AssertionError("sipp still running after " + seconds + " s: " + read(log));
        }
        return process.exitValue();
    }

    /** @return sipp's screen output, error and message traces, for assertion messages */
    String traces() {
        StringBuilder b = new StringBuilder(read(log));
        try (var files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith("_errors.log")
                    || f.getFileName().toString().endsWith("_messages.log")).forEach(f -> b.append("\n--- ")
                            .append(f.getFileName()).append('\n').append(read(f)));
        } catch (IOException e) {
            b.append(e);
        }
        return b.length() > 20000 ? b.substring(b.length() - 20000) : b.toString();
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
        }
    }
}
