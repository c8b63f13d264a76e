package org.callrec.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.inject.Inject;

import org.callrec.api.call.CallDirection;
import org.callrec.api.mode.IntegrationMode;
import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.storage.RawPayloadSink;
import org.callrec.api.storage.Recording;
import org.callrec.api.storage.RecordingCatalog;
import org.callrec.api.storage.RecordingMetadata;
import org.callrec.api.storage.RecordingStatus;
import org.callrec.api.storage.RecordingWriter;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A recording made by the storage bundle is found on the Recordings page in a real browser, plays
 * (the audio element advances, seeking by range requests) and downloads, and shows its waveform;
 * the REST API lists the same recordings as the page and refuses unauthenticated calls; every
 * access is audited. A decode-pending recording (G.729 kept raw) is decoded with the page's button.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RecordingPlaybackIT {

    private static final String PW = "playback-it-password";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return ShippedRuntime.options("playback");
    }

    private <T> T await(Class<T> type) throws InterruptedException {
        return RuntimeServices.await(context, type);
    }

    /** The console's stored form: pbkdf2-sha256$iterations$salt$hash. */
    private static String hash(String password) throws Exception {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] h = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, 20_000, 256)).getEncoded();
        return "pbkdf2-sha256$20000$" + Base64.getEncoder().encodeToString(salt) + "$" + Base64.getEncoder().encodeToString(h);
    }

    private String record(RecordingWriter writer, String ani, int seconds) throws Exception {
        Recording r = writer.open(new RecordingMetadata("play-" + ani, List.of(), "2001", "alice", ani, null,
                CallDirection.INBOUND, Instant.now(), 2, IntegrationMode.SHORETEL_TAPI, "it-server", null));
        short[] tone = new short[160];
        for (long pos = 0; pos < 8000L * seconds; pos += 160) {
            for (int i = 0; i < 160; i++) {
                tone[i] = (short) (6000 * Math.sin(2 * Math.PI * 440 * (pos + i) / 8000.0));
            }
            r.channel(0).pcm(pos, tone, 0, 160);
            r.channel(1).pcm(pos, tone, 0, 160);
        }
        r.close(RecordingStatus.COMPLETE, null);
        return r.id();
    }

    /** 3 s of G.729 kept raw, as a capture does while libbcg729 is missing: the recording ends decode-pending. */
    private String recordRawG729(RecordingWriter writer) throws Exception {
        Recording r = writer.open(new RecordingMetadata("play-g729", List.of(), "2002", "bob", "+15550729", null,
                CallDirection.OUTBOUND, Instant.now(), 1, IntegrationMode.SHORETEL_TAPI, "it-server", null));
        RawPayloadSink raw = r.raw(0, PayloadFormat.G729);
        java.util.Random bits = new java.util.Random(729);
        for (int i = 0; i < 150; i++) {
            // any 80 bits are a G.729 frame bcg729 decodes; two frames per 20 ms packet
            byte[] payload = new byte[20];
            bits.nextBytes(payload);
            raw.payload(160L * i, payload, 0, payload.length);
        }
        r.close(RecordingStatus.COMPLETE, null);
        return r.id();
    }

    private static void awaitStatus(RecordingCatalog catalog, String id, RecordingStatus status) throws InterruptedException {
        for (int i = 0; i < 100 && catalog.get(id).map(e -> e.status() != status).orElse(true); i++) {
            Thread.sleep(100);
        }
        assertEquals(status, catalog.get(id).get().status());
    }

    @Test
    public void recordingIsFoundPlayedAndDownloadedInTheBrowser() throws Exception {
        Dictionary<String, Object> auth = new Hashtable<>();
        auth.put("passwordHash", hash(PW));
        configAdmin.getConfiguration("org.callrec.console.auth", "?").update(auth);
        // the background decoder must not beat the button to it
        Dictionary<String, Object> slow = new Hashtable<>();
        slow.put("checkSeconds", 3600);
        configAdmin.getConfiguration("org.callrec.storage.decodepending", "?").update(slow);
        RecordingWriter writer = await(RecordingWriter.class);
        RecordingCatalog catalog = await(RecordingCatalog.class);
        String id = record(writer, "+1555<script>window.xss=1</script>", 6);
        record(writer, "+15550002", 2);
        String pending = recordRawG729(writer);
        awaitStatus(catalog, id, RecordingStatus.COMPLETE);
        awaitStatus(catalog, pending, RecordingStatus.DECODE_PENDING);
        String base = "http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port");
        HttpClient http = HttpClient.newHttpClient();
        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PW).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> api = null;
        for (int i = 0; i < 100; i++) {
            api = http.send(HttpRequest.newBuilder(URI.create(base + "/callrec/api/recordings")).header("Authorization", basic)
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (api.statusCode() == 200 && api.body().contains(id)) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(api.body(), api.body().contains(id));
        assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(base + "/callrec/api/recordings")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<byte[]> range = http.send(HttpRequest.newBuilder(URI.create(base + "/callrec/api/recordings/" + id + "/audio"))
                .header("Authorization", basic).header("Range", "bytes=44-1043").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, range.statusCode());
        assertEquals(1000, range.body().length);
        assertTrue(range.headers().firstValue("Content-Range").orElse("").startsWith("bytes 44-1043/"));

        Path profile = Paths.get(context.getProperty("callrec.home")).resolve("chromium");
        try (HeadlessChromium browser = HeadlessChromium.launch(profile)) {
            browser.login("admin", PW);
            browser.open(base + "/system/console/callrec-recordings");
            browser.await("document.querySelectorAll('#recordings tbody tr[data-id]').length === 3", 15_000);
            // the page lists what the API lists
            assertEquals(Boolean.TRUE, browser.eval("document.querySelector('#recordings tr[data-id=\"" + id + "\"]') !== null"));
            String ani = (String) browser.eval("document.querySelector('#recordings tr[data-id=\"" + id + "\"]').children[2].textContent");
            assertEquals("+1555<script>window.xss=1</script>", ani);
            assertEquals(Boolean.TRUE, browser.eval("window.xss === undefined"));
            browser.eval("(function(){var a=document.querySelector('#recordings tr[data-id=\"" + id + "\"] audio');"
                    + "a.muted=true; return a.play().then(function(){return true;});})()");
            browser.await("document.querySelector('#recordings tr[data-id=\"" + id + "\"] audio').currentTime > 0.5", 15_000);
            browser.eval("(function(){var a=document.querySelector('#recordings tr[data-id=\"" + id + "\"] audio');"
                    + "a.currentTime = 4.0; return true;})()");
            browser.await("document.querySelector('#recordings tr[data-id=\"" + id + "\"] audio').currentTime >= 4.0", 15_000);
            Double size = (Double) browser.eval("fetch(document.querySelector('#recordings tr[data-id=\"" + id + "\"] a').href)"
                    + ".then(function(r){return r.status === 200 ? r.arrayBuffer() : null;})"
                    + ".then(function(b){return b ? b.byteLength : -1;})");
            assertEquals(44 + 6 * 8000 * 4, size.intValue());
            // the waveform under the row, drawn by the REST API behind the same login
            String wave = "document.querySelector('#recordings tr[data-waveform-of=\"" + id + "\"] img')";
            browser.eval("(function(){" + wave + ".scrollIntoView(); return true;})()");
            browser.await(wave + ".complete && " + wave + ".naturalWidth > 0", 15_000);
            assertEquals(800, ((Number) browser.eval(wave + ".naturalWidth")).intValue());
            assertEquals(2 * 64 + 1, ((Number) browser.eval(wave + ".naturalHeight")).intValue());
            browser.screenshot(Paths.get(System.getProperty("callrec.itdir", "target/it")).getParent()
                    .resolve("screenshots").resolve("recordings-playing.png"));

            // the decode-pending row's button decodes it with the OS's bcg729; the page then says complete
            String row = "document.querySelector('#recordings tr[data-id=\"" + pending + "\"]')";
            assertEquals("DECODE_PENDING", browser.eval(row + ".children[5].firstChild.firstChild.textContent"));
            browser.eval("(function(){" + row + ".querySelector('button.decode').click(); return true;})()");
            browser.await(row + " !== null && " + row + ".children[5].textContent === 'COMPLETE'", 30_000);
            assertEquals(Boolean.TRUE, browser.eval(row + ".querySelector('button.decode') === null"));
        }
        awaitStatus(catalog, pending, RecordingStatus.COMPLETE);
        assertEquals(3000, catalog.get(pending).get().durationMillis());
        try (java.io.InputStream in = catalog.audio(pending).get()) {
            byte[] wav = in.readAllBytes();
            assertEquals(44 + 3 * 8000 * 2, wav.length);
            boolean audible = false;
            for (int i = 44; i < wav.length && !audible; i++) {
                audible = wav[i] != 0;
            }
            assertTrue("the decoded WAV holds no audio", audible);
        }
        List<String> audit = Files.readAllLines(Paths.get(context.getProperty("callrec.data")).resolve("audit/access.log"));
        assertTrue(audit.toString(), audit.stream().anyMatch(l -> l.endsWith("\tadmin\t127.0.0.1\tplay\t" + id)));
        assertTrue(audit.toString(), audit.stream().anyMatch(l -> l.endsWith("\tadmin\t127.0.0.1\tdownload\t" + id)));
    }
}
