package org.callrec.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.callrec.api.directory.UserDirectory;
import org.callrec.api.health.HealthReport;
import org.callrec.api.health.HealthStatus;
import org.callrec.api.storage.RecordingCatalog;
import org.callrec.api.storage.RecordingEntry;
import org.callrec.api.storage.RecordingQuery;
import org.callrec.api.storage.RecordingStatus;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The real-call rig of the port-mirror tests: a veth pair made here with its far end in a fresh
 * network namespace (random names and subnet, so concurrent runs do not meet), the recorded user's
 * phone (Alice, ext 1001) on the near end in the root namespace, the other party (Bob, 2002) on the
 * far end; sipp calls between them, tshark recording the same traffic to a file, the runnable jar's
 * {@code import} on that file, and the waits on the runtime the tests share. Closing it removes the
 * configuration it made and the namespace. {@link #openNetwork} makes the network alone, for tests
 * that need no runtime (the import of a capture) or configure the capture themselves.
 */
final class MirrorLab implements AutoCloseable {

    /** The recorded user. */
    static final String EXTENSION = "1001";
    /**
     * Bob's SIP port, and Alice's unless a call names another: the passive SIP's default. Each is on
     * its own address (Bob's in its own namespace), so the fixed port does not collide.
     */
    static final int SIP_PORT = 5060;

    final String ns;
    final String near;
    final String far;
    final String phone;
    final String other;
    final Path dir;
    private final BundleContext context;
    private Configuration capture;
    private Configuration user;

    private MirrorLab(BundleContext context, String prefix, Path dir) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        String id = Long.toHexString(rnd.nextLong() & 0xFFFFFFL);
        this.context = context;
        this.ns = prefix + "-" + id;
        this.near = prefix + id + "a";
        this.far = prefix + id + "b";
        String subnet = "10." + rnd.nextInt(100, 250) + "." + rnd.nextInt(1, 250) + ".";
        this.phone = subnet + "1";
        this.other = subnet + "2";
        this.dir = dir;
    }

    /**
     * Checks root and the tools, makes the veth pair and namespace, configures Alice as a licensed
     * user on the phone's address and the capture on the near end, and waits until both are live.
     *
     * @param prefix short name prefix of the namespace and NICs (at most 4 characters)
     * @param tools the commands the test runs, each must be installed
     */
    static MirrorLab open(BundleContext context, ConfigurationAdmin configAdmin, String prefix, String... tools)
            throws Exception {
        MirrorLab lab = make(context, ShippedRuntime.scratch("callrec-" + prefix), prefix, tools);
        try {
            lab.configure(configAdmin);
        } catch (Exception | AssertionError e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    /**
     * Checks root and the tools and makes the veth pair and namespace only: nothing is configured in
     * a runtime. Closing it removes the namespace; {@code dir} is left to its owner.
     *
     * @param dir where the speech, scenarios, logs and captures go
     */
    static MirrorLab openNetwork(Path dir, String prefix, String... tools) throws Exception {
        return make(null, dir, prefix, tools);
    }

    private static MirrorLab make(BundleContext context, Path dir, String prefix, String... tools) throws Exception {
        assertEquals("live capture needs root", "0", run("id", "-u").strip());
        for (String tool : tools) {
            if (run("sh", "-c", "command -v " + tool + " || true").isBlank()) {
                throw new AssertionError(tool + " is not installed: run integration-tests/run-tests");
            }
        }
        MirrorLab lab = new MirrorLab(context, prefix, dir);
        try {
            lab.up();
        } catch (Exception | AssertionError e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private void up() throws Exception {
        run("ip", "netns", "add", ns);
        run("ip", "link", "add", near, "type", "veth", "peer", "name", far);
        run("ip", "link", "set", far, "netns", ns);
        run("sysctl", "-q", "-w", "net.ipv6.conf." + near + ".disable_ipv6=1");
        run("ip", "addr", "add", phone + "/24", "dev", near);
        run("ip", "link", "set", near, "up");
        run("ip", "netns", "exec", ns, "ip", "addr", "add", other + "/24", "dev", far);
        run("ip", "netns", "exec", ns, "ip", "link", "set", far, "up");
    }

    private void configure(ConfigurationAdmin configAdmin) throws Exception {
        capture = configAdmin.getConfiguration("org.callrec.capture.mirror", "?");
        user = configAdmin.getFactoryConfiguration("org.callrec.core.user", "mirror-it-alice", "?");
        Dictionary<String, Object> u = new Hashtable<>();
        u.put("name", "Alice");
        u.put("extension", EXTENSION);
        u.put("licensed", Boolean.TRUE);
        u.put("endpointIp", phone);
        user.update(u);
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("captureInterface", near);
        capture.update(p);
        awaitCaptureOn(near);
        awaitUser(EXTENSION);
    }

    @Override
    public void close() throws Exception {
        if (capture != null) {
            capture.delete();
        }
        if (user != null) {
            user.delete();
        }
        try {
            run("ip", "link", "del", near);
        } catch (IOException e) {
            // gone with the namespace, or never made
        }
        try {
            run("ip", "netns", "del", ns);
        } catch (IOException e) {
            System.err.println("could not remove namespace " + ns + ": " + e.getMessage());
        }
    }

    /** Speech made with espeak-ng ({@code -m}: SSML such as breaks allowed), as 8 kHz 16-bit mono normalised to -3 dBFS. */
    Path speech(String name, String text, String voice) throws Exception {
        Path raw = dir.resolve(name + "-espeak.wav");
        Path out = dir.resolve(name + ".wav");
        run("espeak-ng", "-m", "-v", voice, "-w", raw.toString(), text);
        run("sox", raw.toString(), "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", out.toString(),
                "norm", "-3");
        return out;
    }

    /** What Alice says in the G.711 calls: {@link #speech} in espeak-ng's English voice. */
    Path aliceSpeech() throws Exception {
        return speech("alice", "Hello, this is Alice at extension one thousand and one. The quick brown fox jumps over"
                + " the lazy dog, twice.", "en");
    }

    /** What Bob says in the G.711 calls, in another voice, so that the two directions cannot be confused. */
    Path bobSpeech() throws Exception {
        return speech("bob", "Good morning, you have reached Bob. Seven, eight, nine, ten; the weather is fine today.",
                "en+m3");
    }

    /** tshark writing what crosses the near end (UDP: SIP and RTP) to a file; stop it with {@link #stop}. */
    Process startTshark(Path file) throws Exception {
        Process tshark = new ProcessBuilder("tshark", "-i", near, "-f", "udp", "-w", file.toString(), "-a",
                "duration:120").redirectOutput(dir.resolve("tshark.out").toFile()).start();
        awaitCapturing(tshark);
        return tshark;
    }

    /** Lets the last packets reach the file, then ends tshark with SIGTERM, so it closes the file cleanly. */
    static void stop(Process tshark) throws Exception {
        Thread.sleep(500);
        tshark.destroy();
        assertTrue("tshark stops", tshark.waitFor(20, TimeUnit.SECONDS));
    }

    private static void awaitCapturing(Process tshark) throws Exception {
        BufferedReader err = new BufferedReader(new InputStreamReader(tshark.getErrorStream()));
        long deadline = System.currentTimeMillis() + 20_000;
        StringBuilder seen = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = err.readLine()) != null) {
                    synchronized (seen) {
                        seen.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // tshark ended
            }
        }, "tshark-stderr");
        reader.setDaemon(true);
        reader.start();
        while (System.currentTimeMillis() < deadline) {
            synchronized (seen) {
                if (seen.indexOf("Capturing on") >= 0) {
                    Thread.sleep(500); // the message comes a moment before the socket is live
                    return;
                }
            }
            if (!tshark.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        tshark.destroyForcibly();
        throw new AssertionError("tshark did not start capturing: " + seen);
    }

    /**
     * A call from Alice (UAC, on the phone's address) to Bob (UAS, in the namespace), both on
     * {@link #SIP_PORT} of their own address, Alice's media on port 18000.
     *
     * @param tag names the scenario and log files
     * @param uacMedia what Alice's side does after the ACK (a {@link SippScenarios} media action, or "")
     * @param uasMedia what Bob's side does after the ACK
     */
    Process[] startCall(String tag, int pt, String codec, String uacMedia, String uasMedia, int holdMillis)
            throws Exception {
        return startCall(tag, pt, codec, uacMedia, uasMedia, holdMillis, SIP_PORT, 18000);
    }

    /** {@link #startCall(String, int, String, String, String, int)} with Alice's SIP and media ports given. */
    Process[] startCall(String tag, int pt, String codec, String uacMedia, String uasMedia, int holdMillis,
            int uacSipPort, int uacMediaPort) throws Exception {
        Path uac = dir.resolve("uac-" + tag + ".xml");
        Path uas = dir.resolve("uas-" + tag + ".xml");
        Files.writeString(uac, SippScenarios.uac(pt, codec, uacMedia, holdMillis));
        Files.writeString(uas, SippScenarios.uas(pt, codec, uasMedia));
        Process b = new ProcessBuilder("ip", "netns", "exec", ns, "sipp", "-sf", uas.toString(), "-i", other, "-p",
                String.valueOf(SIP_PORT), "-mp", "16000", "-m", "1", "-nostdin", "-timeout", "30s", "-timeout_error")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("uas-" + tag + ".log")
                        .toFile()).start();
        Thread.sleep(500); // the UAS listens before the UAC sends
        Process a = new ProcessBuilder("sipp", "-sf", uac.toString(), "-i", phone, "-p", String.valueOf(uacSipPort),
                "-mp", String.valueOf(uacMediaPort), "-m", "1", "-nostdin", "-timeout", "30s", "-timeout_error",
                other + ":" + SIP_PORT).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("uac-" + tag + ".log").toFile()).start();
        return new Process[] {a, b};
    }

    /** Waits for both sipp instances; fails with their logs unless both ran the call as scripted. */
    void finish(Process[] call) throws Exception {
        for (Process p : call) {
            if (!p.waitFor(40, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("sipp did not finish: " + logs());
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("sipp failed (exit " + p.exitValue() + "): " + logs());
            }
        }
    }

    private String logs() throws IOException {
        StringBuilder s = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                String text = Files.readString(f);
                s.append("\n--- ").append(f.getFileName()).append('\n')
                        .append(text.substring(Math.max(0, text.length() - 2000)));
            }
        }
        return s.toString();
    }

    /**
     * The runnable jar's {@code import} (what bin/callrec import runs) of a capture file, with Alice
     * configured in its own home: must exit 0 and say what it reads.
     *
     * @return recordings.json, parsed
     */
    List<?> importCapture(Path capturedCalls, Path out) throws Exception {
        Path log = dir.resolve("import-" + out.getFileName() + ".log");
        Process p = importProcess(importHome(), capturedCalls, out).redirectOutput(log.toFile()).start();
        assertTrue("import finishes", p.waitFor(3, TimeUnit.MINUTES));
        String text = Files.readString(log);
        assertEquals(text, 0, p.exitValue());
        assertTrue(text, text.contains("callrec import: reading " + capturedCalls));
        return (List<?>) MiniJson.parse(Files.readString(out.resolve("recordings.json")));
    }

    /** A home for the runnable jar ({@code dir/home}) with Alice configured on the phone's address. */
    Path importHome() throws IOException {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/org.callrec.core.user-alice.config"), "name=\"Alice\"\nextension=\""
                + EXTENSION + "\"\nlicensed=B\"true\"\nendpointIp=\"" + phone + "\"\n");
        return home;
    }

    /** The import command of the runnable jar, in {@code home}, with further options; output merged into stdout. */
    static ProcessBuilder importProcess(Path home, Path capture, Path out, String... options) {
        List<String> cmd = new ArrayList<>(List.of(RunningRuntime.javaBin(), "-Dcallrec.home=" + home, "-jar",
                RunningRuntime.JAR.toAbsolutePath().toString(), "import", capture.toString(), "--out", out.toString()));
        cmd.addAll(List.of(options));
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }

    /**
     * The capture without its SIP (all of it to or from Bob's {@link #SIP_PORT}), as a mirror port
     * sees calls whose signalling it does not carry; fails unless no SIP is left.
     */
    static Path withoutSip(Path capture, Path out) throws Exception {
        stdout("tshark", "-r", capture.toString(), "-Y", "not udp.port == " + SIP_PORT, "-w", out.toString());
        assertEquals("no SIP left in " + out, "", stdout("tshark", "-r", out.toString(), "-Y", "sip").strip());
        return out;
    }

    /** The ids of Alice's recordings in the catalog now. */
    static Set<String> recordingIds(RecordingCatalog catalog) {
        Set<String> ids = new HashSet<>();
        catalog.search(new RecordingQuery(null, null, EXTENSION, null, null, null, null, null, null, 0, 1000))
                .entries().forEach(e -> ids.add(e.id()));
        return ids;
    }

    /** Waits up to 20 s for exactly one new recording of Alice's, complete; fails on a second one. */
    static RecordingEntry awaitNewComplete(RecordingCatalog catalog, Set<String> before) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        List<RecordingEntry> last = List.of();
        while (System.currentTimeMillis() < deadline) {
            last = catalog.search(new RecordingQuery(null, null, EXTENSION, null, null, null, null, null, null, 0, 1000))
                    .entries().stream().filter(e -> !before.contains(e.id())).toList();
            if (last.size() == 1 && last.get(0).status() == RecordingStatus.COMPLETE) {
                return last.get(0);
            }
            assertTrue("one recording per call: " + last, last.size() <= 1);
            Thread.sleep(200);
        }
        throw new AssertionError("no new complete recording of ext " + EXTENSION + " within 20 s: " + last);
    }

    private void awaitCaptureOn(String nic) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        HealthReport last = null;
        while (System.currentTimeMillis() < deadline) {
            HealthReport report = RuntimeServices.health(context, "port-mirror capture"::equals).orElse(null);
            if (report != null) {
                last = report;
                if (report.status() == HealthStatus.OK && report.message().contains(nic)) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("capture did not open " + nic + "; last: " + last);
    }

    private void awaitUser(String extension) throws Exception {
        UserDirectory users = RuntimeServices.await(context, UserDirectory.class);
        for (int i = 0; i < 200 && users.byExtension(extension).isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertTrue("user " + extension + " configured", users.byExtension(extension).isPresent());
    }

    /** Runs a command to its end (2 min at most); its output, or an IOException with it when it fails. */
    static String run(String... cmd) throws IOException, InterruptedException {
        return exec(true, cmd);
    }

    /** Headerless G.711 (sox's reference encoder), what sipp's rtp_stream sends as it is. */
    Path encode(Path wav, String type) throws Exception {
        Path out = dir.resolve(wav.getFileName().toString().replace(".wav", "." + type));
        run("sox", wav.toString(), "-t", type, out.toString());
        return out;
    }

    /** Like {@link #run}, but returns standard output only (tshark's fields, without its warnings on stderr). */
    static String stdout(String... cmd) throws IOException, InterruptedException {
        return exec(false, cmd);
    }

    /**
     * Runs a tool with a 2-minute limit; its output goes to files, so the limit holds even when it
     * hangs with its pipes open.
     *
     * @param withErrors standard error in the result too (else only in the failure message)
     */
    private static String exec(boolean withErrors, String... cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("callrec-out", ".txt");
        Path err = withErrors ? out : Files.createTempFile("callrec-err", ".txt");
        try {
            ProcessBuilder b = new ProcessBuilder(cmd).redirectOutput(out.toFile());
            Process p = (withErrors ? b.redirectErrorStream(true) : b.redirectError(err.toFile())).start();
            boolean ended = p.waitFor(2, TimeUnit.MINUTES);
            if (!ended) {
                p.destroyForcibly();
            }
            if (!ended || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + (ended ? "" : " (killed after 2 minutes)") + ": "
                        + new String(Files.readAllBytes(err)).strip());
            }
            return new String(Files.readAllBytes(out));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
