package org.callrec.sip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.callrec.api.call.CallEvent;
import org.callrec.api.call.CallEventType;
import org.callrec.api.call.MediaHint;
import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.sip.SipPacketSink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SIP call between two sipp instances on loopback (INVITE with SDP, 180, 200, ACK, a hold
 * re-INVITE with a=sendonly answered a=recvonly, BYE, 200), captured by tshark into a pcapng file
 * (and converted to classic pcap by editcap), read back and fed through the passive SIP entry
 * point. sipp and tshark come from Debian (sip-tester, tshark; integration-tests/run-tests installs them).
 */
class SippCaptureTest {

    private static final long BOUND_S = 20;

    @TempDir
    static Path dir;
    static Capture udp;
    static Capture tcp;

    /** One captured sipp call. */
    record Capture(Path pcapng, int uacPort, int uasPort, int uacMedia, int uasMedia, Instant before, Instant after) {
        boolean sipPort(int port) {
            return port == uacPort || port == uasPort;
        }
    }

    @BeforeAll
    static void captureRealCalls() throws Exception {
        for (String tool : new String[] {"sipp", "tshark", "editcap"}) {
            if (!onPath(tool)) {
                fail(tool + " is not installed: run integration-tests/run-tests (Debian packages sip-tester, tshark)");
            }
        }
        udp = capture("u1", "udp");
        tcp = capture("t1", "tcp");
    }

    private static Capture capture(String sippTransport, String proto) throws Exception {
        int uacPort = freeUdpPort();
        int uasPort = freeUdpPort();
        // sipp binds four media ports from -mp (audio and video RTP/RTCP): keep the two sets apart
        int uacMedia = 20000 + (uacPort % 5000) * 2;
        int uasMedia = uacMedia + 10;
        Path pcapng = dir.resolve(proto + "-call.pcapng");
        Path sippDir = Paths.get(SippCaptureTest.class.getResource("/sipp/uac-hold.xml").toURI()).getParent();
        // Bounded capture: tshark stops by itself after BOUND_S seconds at the latest.
        Process tshark = new ProcessBuilder("tshark", "-i", "lo", "-f",
                proto + " port " + uacPort + " or " + proto + " port " + uasPort, "-w", pcapng.toString(), "-a",
                "duration:" + BOUND_S).redirectOutput(dir.resolve(proto + "-tshark.out").toFile()).start();
        awaitCaptureStarted(tshark);
        Instant before = Instant.now();
        Process uas = sipp(sippDir.resolve("uas-hold.xml"), sippTransport, uasPort, uasMedia, null, proto + "-uas");
        Thread.sleep(300); // the UAS must listen before the UAC sends
        Process uac = sipp(sippDir.resolve("uac-hold.xml"), sippTransport, uacPort, uacMedia, "127.0.0.1:" + uasPort,
                proto + "-uac");
        boolean uacDone = uac.waitFor(BOUND_S, TimeUnit.SECONDS);
        boolean uasDone = uas.waitFor(BOUND_S, TimeUnit.SECONDS);
        Instant after = Instant.now();
        Thread.sleep(300); // let the last packets reach the capture file
        tshark.destroy(); // SIGTERM: tshark closes the file cleanly
        if (!tshark.waitFor(10, TimeUnit.SECONDS)) {
            tshark.destroyForcibly();
        }
        if (!uacDone || !uasDone) {
            uac.destroyForcibly();
            uas.destroyForcibly();
            fail("sipp (" + proto + ") did not finish within " + BOUND_S + " s: " + log(proto + "-uac") + log(proto + "-uas"));
        }
        assertEquals(0, uac.exitValue(), "sipp UAC failed: " + log(proto + "-uac"));
        assertEquals(0, uas.exitValue(), "sipp UAS failed: " + log(proto + "-uas"));
        assertTrue(Files.size(pcapng) > 0, "tshark wrote nothing");
        return new Capture(pcapng, uacPort, uasPort, uacMedia, uasMedia, before, after);
    }

    @Test
    void pcapngOfTheSippCallGivesTheRightEventsAndMediaHints() throws IOException {
        Run r = feed(udp);
        assertEquals(0, r.counts().skipped());
        assertCall(r, udp);
    }

    @Test
    void theSameCallOverTcpGivesTheSameEventsFromWholeSegments() throws IOException {
        Run r = feed(tcp);
        assertCall(r, tcp);
    }

    @Test
    void classicPcapOfTheSameCallGivesTheSameEvents() throws IOException, InterruptedException {
        Path pcap = dir.resolve("call.pcap");
        Process p = new ProcessBuilder("editcap", "-F", "pcap", udp.pcapng().toString(), pcap.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "editcap failed");
        assertEquals(0xa1b2c3d4, ByteBuffer.wrap(Files.readAllBytes(pcap)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(0),
                "classic pcap magic");
        Run fromPcap = feed(new Capture(pcap, udp.uacPort(), udp.uasPort(), udp.uacMedia(), udp.uasMedia(), udp.before(),
                udp.after()));
        assertCall(fromPcap, udp);
        // classic pcap keeps microseconds, tshark's pcapng nanoseconds
        assertEquals(feed(udp).events().stream().map(e -> e.time().truncatedTo(java.time.temporal.ChronoUnit.MICROS)).toList(),
                fromPcap.events().stream().map(CallEvent::time).toList(), "same capture times");
    }

    @Test
    void malformedSipAmongTheCallIsCountedAndSkipped() throws IOException {
        List<CallEvent> events = new ArrayList<>();
        PassiveSip sip = new PassiveSip("sip", events::add, () -> null, Pattern.compile("[0-9]{2,6}"), 100);
        java.net.InetSocketAddress a = new java.net.InetSocketAddress("127.0.0.1", 5060);
        sip.onPayload(SipPacketSink.Transport.UDP, a, a, Instant.now(),
                ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        PcapFeeder.feed(udp.pcapng(), udp::sipPort, sip);
        sip.onPayload(SipPacketSink.Transport.UDP, a, a, Instant.now(), ByteBuffer.wrap(
                "INVITE sip:1@x SIP/2.0\r\nCall-ID: z\r\nFrom: <sip:1@x>;tag=1\r\nTo: <sip:2@x>\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII)));
        assertEquals(2, sip.malformed(), "an HTTP request and an INVITE without CSeq");
        assertTrue(sip.lastError().contains("missing cseq"), sip.lastError());
        assertEquals(11, events.size(), "the real call's events are all there");
    }

    private record Run(List<CallEvent> events, PassiveSip sip, PcapFeeder.Counts counts) {
        List<String> lines() {
            return events.stream().map(e -> e.extension() + " " + e.type()).collect(Collectors.toList());
        }

        CallEvent get(String ext, CallEventType type) {
            return events.stream().filter(e -> e.extension().equals(ext) && e.type() == type).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + ext + " " + type + " in " + lines()));
        }
    }

    private static Run feed(Capture cap) throws IOException {
        List<CallEvent> events = new ArrayList<>();
        PassiveSip sip = new PassiveSip("sip", events::add, () -> null, Pattern.compile("[0-9]{2,6}"), 100);
        PcapFeeder.Counts c = PcapFeeder.feed(cap.pcapng(), cap::sipPort, sip);
        return new Run(events, sip, c);
    }

    private static void assertCall(Run r, Capture cap) {
        int uacMedia = cap.uacMedia();
        int uasMedia = cap.uasMedia();
        Instant before = cap.before();
        Instant after = cap.after();
        assertEquals(List.of("1001 DIALING", "2002 OFFERING", "2002 ACCEPTED", "1001 CONNECTED", "2002 CONNECTED",
                "1001 ON_HOLD", "2002 ON_HOLD", "1001 DISCONNECTED", "2002 DISCONNECTED", "1001 IDLE", "2002 IDLE"),
                r.lines(), "captured " + r.counts());
        assertEquals(0, r.sip().malformed(), String.valueOf(r.sip().lastError()));
        assertTrue(r.sip().messages() >= 9, "INVITE 180 200 ACK INVITE 200 ACK BYE 200: " + r.sip().messages());
        String callId = r.events().get(0).callId();
        r.events().forEach(e -> assertEquals(callId, e.callId()));
        CallEvent first = r.events().get(0);
        assertTrue(!first.time().isBefore(before.minusSeconds(1)) && !first.time().isAfter(after.plusSeconds(1)),
                "event time is the packet's capture time: " + first.time());

        PayloadFormat te = new PayloadFormat(101, "telephone-event", 8000, 1, "0-15");
        MediaHint alice = new MediaHint("127.0.0.1", uacMedia, List.of(PayloadFormat.PCMU, PayloadFormat.PCMA,
                new PayloadFormat(18, "G729", 8000, 1, "annexb=no"), te), MediaHint.Direction.SENDRECV, true);
        MediaHint bob = new MediaHint("127.0.0.1", uasMedia,
                List.of(PayloadFormat.PCMU, new PayloadFormat(101, "telephone-event", 8000, 1, "")),
                MediaHint.Direction.SENDRECV, false);
        assertEquals(List.of(alice, bob), r.get("1001", CallEventType.CONNECTED).media());
        assertEquals(List.of(withLocal(bob, true), withLocal(alice, false)), r.get("2002", CallEventType.CONNECTED).media());
        assertEquals(List.of(alice), r.get("1001", CallEventType.DIALING).media(), "offer only before the answer");

        CallEvent held = r.get("1001", CallEventType.ON_HOLD);
        assertEquals(List.of(
                new MediaHint("127.0.0.1", uacMedia, List.of(PayloadFormat.PCMU, new PayloadFormat(101, "telephone-event",
                        8000, 1, "")), MediaHint.Direction.SENDONLY, true),
                new MediaHint("127.0.0.1", uasMedia, List.of(PayloadFormat.PCMU, new PayloadFormat(101, "telephone-event",
                        8000, 1, "")), MediaHint.Direction.RECVONLY, false)), held.media());
        CallEvent c = r.get("2002", CallEventType.CONNECTED);
        assertEquals("1001", c.parties().caller());
        assertEquals("2002", c.parties().called());
        assertEquals("1001", c.parties().connected());
        assertEquals(org.callrec.api.call.CallDirection.INBOUND, c.direction());
        assertEquals(org.callrec.api.call.CallDirection.OUTBOUND, r.get("1001", CallEventType.CONNECTED).direction());
        assertEquals(org.callrec.api.call.CallOrigin.INTERNAL, c.origin());
    }

    private static MediaHint withLocal(MediaHint h, boolean local) {
        return new MediaHint(h.address(), h.port(), h.formats(), h.direction(), local);
    }

    private static Process sipp(Path scenario, String transport, int port, int media, String remote, String name)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("sipp", "-sf", scenario.toString(), "-t", transport, "-i", "127.0.0.1", "-p",
                String.valueOf(port), "-mp", String.valueOf(media), "-m", "1", "-nostdin", "-timeout",
                (BOUND_S - 5) + "s", "-timeout_error"));
        if (remote != null) {
            cmd.add(remote);
        }
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
    }

    private static void awaitCaptureStarted(Process tshark) throws InterruptedException, IOException {
        CountDownLatch started = new CountDownLatch(1);
        StringBuilder err = new StringBuilder();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(tshark.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (err) {
                        err.append(line).append('\n');
                    }
                    if (line.contains("Capturing on")) {
                        started.countDown();
                    }
                }
            } catch (IOException e) {
                // process ended
            }
        }, "tshark-stderr");
        t.setDaemon(true);
        t.start();
        if (!started.await(15, TimeUnit.SECONDS)) {
            tshark.destroyForcibly();
            synchronized (err) {
                fail("tshark did not start capturing on lo within 15 s: " + err);
            }
        }
        Thread.sleep(500); // "Capturing on" precedes the socket being live by a moment
    }

    private static String log(String name) {
        try {
            String s = Files.readString(dir.resolve(name + ".log"));
            return "\n--- " + name + " ---\n" + (s.length() > 4000 ? s.substring(0, 1500) + "\n...\n" + s.substring(s.length() - 2500) : s);
        } catch (IOException e) {
            return "(no " + name + " log)";
        }
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Paths.get(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    static {
        try {
            assert SippCaptureTest.class.getResource("/sipp/uas-hold.xml").toURI() != null;
        } catch (URISyntaxException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
