package org.callrec.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `callrec demo` as a newcomer runs it (as root, so the loopback capture works), checked in a real
 * browser: a user is added, demo calls appear on Real-Time Activity, their recordings are found,
 * played and downloaded; and the recorded audio is the demo phones' audio, each party on its side.
 */
class DemoIT {

    private static final String PW = "demo-it-password";
    private static final Path SHOTS = Paths.get(System.getProperty("callrec.itdir", "target/it")).getParent().resolve("screenshots");

    @TempDir
    static Path home;

    private static RunningRuntime rt;

    @BeforeAll
    static void start() throws Exception {
        // tones, so the test can tell the two sides apart by frequency (the demo speaks by default)
        java.nio.file.Files.createDirectories(home.resolve("demo/conf"));
        java.nio.file.Files.writeString(home.resolve("demo/conf/org.callrec.tapi.demo.config"),
                "farAddress=\"127.0.2.1\"\naudio=\"tone\"\n");
        rt = RunningRuntime.start(home, Map.of("CALLREC_CONSOLE_PASSWORD", PW), "demo");
        rt.awaitConsole(System.nanoTime(), 30_000, "admin", PW);
    }

    @AfterAll
    static void stop() throws Exception {
        rt.close();
    }

    /**
     * Share of the signal's energy at one frequency: Goertzel over 50 ms blocks (400 samples, so 440
     * and 660 Hz fall on whole bins), summed, over the total energy.
     */
    private static double share(short[] s, double hz) {
        double coeff = 2 * Math.cos(2 * Math.PI * hz / 8000);
        double tone = 0;
        double energy = 0;
        for (int start = 0; start + 400 <= s.length; start += 400) {
            double s1 = 0;
            double s2 = 0;
            for (int i = start; i < start + 400; i++) {
                double s0 = s[i] + coeff * s1 - s2;
                s2 = s1;
                s1 = s0;
                energy += (double) s[i] * s[i];
            }
            tone += 2 * (s1 * s1 + s2 * s2 - coeff * s1 * s2) / 400;
        }
        return energy == 0 ? 0 : tone / energy;
    }

    @Test
    void demoCallsAreShownRecordedPlayedAndDownloaded() throws Exception {
        String url = "http://127.0.0.1:" + rt.port + "/system/console/";
        try (HeadlessChromium browser = HeadlessChromium.launch(home.resolve("chromium"))) {
            browser.login("admin", PW);
            browser.open(url + "callrec-users");
            browser.await("document.querySelectorAll('#users tbody tr').length >= 2", 15_000);
            browser.eval("(function(){var f=document.getElementById('user');f.elements.name.value='Carol <b>new</b>';"
                    + "f.elements.extension.value='1003';f.elements.licensed.checked=true;"
                    + "document.getElementById('save').click();})()");
            browser.await("document.querySelector('#users tr[data-extension=\"1003\"]') !== null", 15_000);

            browser.open(url + "callrec-activity");
            browser.await("document.querySelector('#activity tr[data-state=\"ON_PHONE\"]') !== null", 40_000);
            assertEquals(Boolean.TRUE, browser.eval("document.querySelector('#activity').textContent.indexOf('Carol <b>new</b>') >= 0"));
            browser.screenshot(SHOTS.resolve("demo-activity.png"));

            browser.open(url + "callrec-recordings");
            String firstComplete = "Array.prototype.find.call(document.querySelectorAll('#recordings tr[data-id]'),"
                    + " function(tr){return tr.children[5].textContent === 'COMPLETE';})";
            for (int i = 0; i < 40 && !Boolean.TRUE.equals(browser.eval("!!" + firstComplete)); i++) {
                Thread.sleep(1000);
                browser.eval("document.querySelector('#search button').click()");
            }
            Thread.sleep(1500); // let the last search's answer land: it re-renders the table
            browser.await("!!" + firstComplete, 5_000);
            String id = (String) browser.eval(firstComplete + ".getAttribute('data-id')");
            browser.eval("(function(){var a=" + firstComplete + ".querySelector('audio'); a.muted=true; return a.play().then(function(){return true;});})()");
            browser.await(firstComplete + ".querySelector('audio').currentTime > 0.5", 15_000);
            Double size = (Double) browser.eval("fetch(" + firstComplete + ".querySelector('a').href)"
                    + ".then(function(r){return r.status === 200 ? r.arrayBuffer() : null;}).then(function(b){return b ? b.byteLength : -1;})");
            assertTrue(size > 44 + 4 * 8000 * 4, "a demo call lasts 8 s: " + size + " bytes");
            browser.screenshot(SHOTS.resolve("demo-recordings.png"));

            // the recording holds the demo phones' audio: the user's 440 Hz on the left, the far end's 660 Hz on the right
            HttpResponse<String> meta = rt.get("/callrec/api/recordings/" + id, "admin", PW);
            Matcher channels = Pattern.compile("\"channels\":(\\d)").matcher(meta.body());
            assertTrue(channels.find() && channels.group(1).equals("2"), meta.body());
            byte[] wav = rt.getBytes("/callrec/api/recordings/" + id + "/audio", "admin", PW);
            ByteBuffer b = ByteBuffer.wrap(wav, 44, wav.length - 44).order(ByteOrder.LITTLE_ENDIAN);
            int frames = (wav.length - 44) / 4;
            short[] left = new short[frames];
            short[] right = new short[frames];
            for (int i = 0; i < frames; i++) {
                left[i] = b.getShort();
                right[i] = b.getShort();
            }
            assertTrue(share(left, 440) > 0.8, "left is the user's 440 Hz: " + share(left, 440));
            assertTrue(share(right, 660) > 0.8, "right is the far end's 660 Hz: " + share(right, 660));
            assertTrue(share(left, 660) < 0.05 && share(right, 440) < 0.05, "no direction on the wrong side");
        }
    }
}
