package org.callrec.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.callrec.api.call.CallDirection;
import org.callrec.api.call.CallEvent;
import org.callrec.api.call.CallEventListener;
import org.callrec.api.call.CallEventType;
import org.callrec.api.call.CallOrigin;
import org.callrec.api.call.CallParties;
import org.callrec.api.capture.AudioCapture;
import org.callrec.api.storage.RecordingCatalog;
import org.callrec.api.storage.RecordingEntry;
import org.callrec.api.storage.RecordingQuery;
import org.callrec.api.storage.RecordingStatus;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * TAPI/Wave end to end in the shipped runtime: the mode switched to shoretel-tapi-wave, a licensed
 * user, the capture configured to call the Route Point over SIP, and sipp as that Route Point
 * (digest challenge, answer, speech streamed with rtp_stream). A CONNECTED event for the user goes
 * to the recorder; the recorder, the capture, callrec.rtp and storage make a mono WAV file, which is
 * compared with the source after alignment (G.711 bar: 30 dB SNR). Over UDP, and over TLS through
 * socat in front of sipp's TCP port.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WaveRoutePointIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return ShippedRuntime.options("wave-routepoint");
    }

    @Test
    public void aSippRoutePointCallIsRecordedEndToEndAsMonoWavAbove30dB() throws Exception {
        recordRoutePointCall("udp", "wave-it-1", 44000);
    }

    /**
     * The same over SIP/TLS in the shipped runtime (JSSE inside the bundle): socat with OpenSSL
     * terminates TLS in front of sipp's TCP port, with a certificate made here that the capture is
     * told to trust.
     */
    @Test
    public void aSippRoutePointCallOverTlsIsRecordedEndToEndAsMonoWavAbove30dB() throws Exception {
        recordRoutePointCall("tls", "wave-it-2", 44200);
    }

    private void recordRoutePointCall(String transport, String callId, int rtpPortMin) throws Exception {
        Path dir = ShippedRuntime.scratch("callrec-wave-it");
        run(dir, "espeak-ng", "-v", "en", "-s", "160", "-w", "speech.wav",
                "A recorded call reaches the route point, which streams its audio back.");
        run(dir, "sox", "speech.wav", "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw",
                "speech.s16", "gain", "-n", "-1");
        run(dir, "sox", "-t", "raw", "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", "speech.s16", "-t",
                "raw", "-e", "a-law", "-b", "8", "speech.al");
        short[] speech = s16(Files.readAllBytes(dir.resolve("speech.s16")), 0);

        // the same Route Point scenario the capture's own tests use
        String xml = Files.readString(Path.of("../bundles/callrec.capture.wave/src/test/resources/sipp/routepoint-uas.xml"))
                .replace("${realm}", "pbx.it").replace("${user}", "recorder").replace("${password}", "pw-it")
                .replace("${routePoint}", "5999").replace("${codec}", "PCMA").replace("${pt}", "8")
                .replace("${audio}", dir.resolve("speech.al").toString()).replace("${holdMillis}", "30000")
                .replace("${loops}", "1");
        Files.writeString(dir.resolve("rp.xml"), xml);
        int sipPort;
        int mediaPort;
        int tlsPort;
        do { // sipp binds four media ports from -mp (audio and video RTP/RTCP): none may be its SIP port
            try (DatagramSocket a = new DatagramSocket(0); DatagramSocket b = new DatagramSocket(0);
                    ServerSocket c = new ServerSocket(0)) {
                sipPort = a.getLocalPort();
                mediaPort = b.getLocalPort() & ~3;
                tlsPort = c.getLocalPort();
            }
        } while (sipPort >= mediaPort && sipPort <= mediaPort + 3);
        boolean tls = "tls".equals(transport);
        int pbxPort = tls ? tlsPort : sipPort;
        Process sipp = new ProcessBuilder("sipp", "-sf", "rp.xml", "-i", "127.0.0.1", "-p", String.valueOf(sipPort),
                "-mi", "127.0.0.1", "-mp", String.valueOf(mediaPort), "-m", "1", "-timeout", "60s", "-trace_err",
                "-nostdin", "-t", tls ? "t1" : "u1").directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sipp.out").toFile()).start();
        Process socat = null;
        if (tls) {
            // Debian's sipp has no TLS: socat (OpenSSL) terminates it in front of sipp's TCP port
            run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "pbx.key", "-out",
                    "pbx.crt", "-days", "2", "-subj", "/CN=callrec IT PBX", "-addext", "subjectAltName=IP:127.0.0.1");
            Files.write(dir.resolve("pbx.pem"), (Files.readString(dir.resolve("pbx.crt"))
                    + Files.readString(dir.resolve("pbx.key"))).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socat = new ProcessBuilder("socat", "OPENSSL-LISTEN:" + tlsPort + ",bind=127.0.0.1,reuseaddr,fork,cert="
                    + dir.resolve("pbx.pem") + ",verify=0", "TCP:127.0.0.1:" + sipPort).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("socat.out").toFile()).start();
            Thread.sleep(300);
            assertTrue("socat (install it: integration-tests/run-tests) " + Files.readString(dir.resolve("socat.out")),
                    socat.isAlive());
        }
        try {
            Dictionary<String, Object> user = new Hashtable<>();
            user.put("name", "Wave User");
            user.put("extension", "2101");
            user.put("licensed", Boolean.TRUE);
            configAdmin.getFactoryConfiguration("org.callrec.core.user", "wave-it", "?").update(user);
            Dictionary<String, Object> wave = new Hashtable<>();
            wave.put("ShoreTelTapiWaveRoutePointExtension", "5999");
            wave.put("transport", "sip");
            wave.put("sipPbxAddress", "127.0.0.1");
            wave.put("sipPbxPort", tls ? tlsPort : sipPort);
            wave.put("sipTransport", transport);
            if (tls) {
                wave.put("sipTlsTrustedCertificate", dir.resolve("pbx.crt").toString());
            }
            wave.put("sipUser", "recorder");
            wave.put("sipPassword", "pw-it");
            wave.put("sipLocalAddress", "127.0.0.1");
            wave.put("rtpPortMin", rtpPortMin);
            wave.put("rtpPortMax", rtpPortMin + 99);
            configAdmin.getConfiguration("org.callrec.capture.wave", "?").update(wave);
            Dictionary<String, Object> mode = new Hashtable<>();
            mode.put("mode", "shoretel-tapi-wave");
            configAdmin.getConfiguration("org.callrec.core.mode", "?").update(mode);
            await("the Route Point capture", () -> services(AudioCapture.class, "(callrec.mode=shoretel-tapi-wave)"),
                    30_000);
            await("the user in the directory", () -> {
                var d = context.getService(context.getServiceReference(org.callrec.api.directory.UserDirectory.class));
                return d.byExtension("2101").isPresent() ? d : null;
            }, 20_000);
            // the capture's configuration (PBX address, transport) lands after its registration
            await("the capture configured for " + transport, () -> RuntimeServices.healthWhere(context,
                    h -> h.details().stream().anyMatch(d -> d.contains("(" + transport)
                            && d.contains("-> PBX 127.0.0.1:" + pbxPort))).orElse(null), 20_000);

            CallEventListener recorder = context.getService(await("the recorder", () -> services(CallEventListener.class,
                    "(component.name=org.callrec.core.internal.recorder.CallRecorder)"), 20_000).iterator().next());
            recorder.onCallEvent(event(callId, CallEventType.CONNECTED));
            Thread.sleep(speech.length / 8 + 1500);
            recorder.onCallEvent(event(callId, CallEventType.DISCONNECTED));
            recorder.onCallEvent(event(callId, CallEventType.IDLE));
            assertTrue("sipp ends after our BYE", sipp.waitFor(20, TimeUnit.SECONDS));
            assertEquals("sipp: the Route Point call went as scripted: " + Files.readString(dir.resolve("sipp.out")), 0,
                    sipp.exitValue());

            RecordingCatalog catalog = context.getService(context.getServiceReference(RecordingCatalog.class));
            RecordingEntry entry = null;
            for (int i = 0; i < 100; i++) {
                List<RecordingEntry> found = catalog.search(new RecordingQuery(null, null, null, null, null, null,
                        callId, null, null, 0, 10)).entries();
                entry = found.isEmpty() ? null : found.get(0);
                if (entry != null && entry.status() != RecordingStatus.RECORDING) {
                    break;
                }
                Thread.sleep(100);
            }
            assertNotNull("catalogued", entry);
            assertEquals(entry.statusReason(), RecordingStatus.COMPLETE, entry.status());
            assertTrue("no gap: " + entry.gaps(), entry.gaps().isEmpty());
            byte[] wav;
            try (InputStream in = catalog.audio(entry.id()).orElseThrow()) {
                wav = in.readAllBytes();
            }
            ByteBuffer h = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals("mono", 1, h.getShort(22));
            assertEquals(8000, h.getInt(24));
            short[] recorded = s16(wav, 44);
            double[] r = align(speech, recorded, 16000);
            System.out.printf("TAPI/Wave end to end (sipp PCMA Route Point over %s -> recorder -> WAV): lag %d, SNR "
                    + "%.2f dB%n", transport, (int) r[0], r[1]);
            assertTrue("SNR " + r[1] + " dB < 30 dB", r[1] >= 30);
        } finally {
            sipp.destroy();
            if (socat != null) {
                socat.destroy();
            }
        }
    }

    private CallEvent event(String callId, CallEventType type) {
        return new CallEvent("it", callId, type, Instant.now(), "2101",
                new CallParties("+4930555000", "2101", null, null), CallOrigin.EXTERNAL, CallDirection.INBOUND, null,
                List.of(), List.of());
    }

    /** @return {lag, SNR dB}: the lag maximising the normalised cross-correlation, and the SNR there */
    private static double[] align(short[] src, short[] rec, int maxLag) {
        double es = 0;
        for (short s : src) {
            es += (double) s * s;
        }
        int best = 0;
        double bestNorm = Double.NEGATIVE_INFINITY;
        for (int lag = 0; lag <= maxLag && lag < rec.length; lag++) {
            double c = 0;
            double er = 0;
            for (int i = 0; i < src.length && i + lag < rec.length; i++) {
                c += (double) src[i] * rec[i + lag];
                er += (double) rec[i + lag] * rec[i + lag];
            }
            double norm = er == 0 ? 0 : c / Math.sqrt(es * er);
            if (norm > bestNorm) {
                bestNorm = norm;
                best = lag;
            }
        }
        double noise = 0;
        for (int i = 0; i < src.length; i++) {
            double r = i + best < rec.length ? rec[i + best] : 0;
            noise += (src[i] - r) * (src[i] - r);
        }
        return new double[] {best, 10 * Math.log10(es / noise)};
    }

    private static short[] s16(byte[] b, int from) {
        short[] s = new short[(b.length - from) / 2];
        ByteBuffer.wrap(b, from, s.length * 2).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(String.join(" ", cmd) + " hangs", p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(String.join(" ", cmd) + " (install it: integration-tests/run-tests): " + out, 0, p.exitValue());
    }

    private <T> Collection<ServiceReference<T>> services(Class<T> type, String filter) {
        try {
            Collection<ServiceReference<T>> refs = context.getServiceReferences(type, filter);
            return refs.isEmpty() ? null : refs;
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T await(String what, java.util.function.Supplier<T> probe, long millis) throws Exception {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            T t = probe.get();
            if (t != null) {
                return t;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(what + " not there within " + millis + " ms");
    }
}
