package org.callrec.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The callrec pages in a real browser (Debian's headless Chromium over DevTools): log in, add a
 * user, see users on Real-Time Activity, caller-controlled text shown as text. Screenshots of
 * each page are kept in target/screenshots.
 */
class ConsoleBrowserIT {

    private static final String PW = "browser-it-password";
    private static final Path SHOTS = Paths.get(System.getProperty("callrec.itdir", "target/it")).getParent().resolve("screenshots");

    @TempDir
    static Path home;

    private static RunningRuntime rt;
    private static HeadlessChromium browser;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/org.callrec.core.user-mallory.config"),
                "name=\"Mallory <img src=x onerror=window.xss=1><script>window.xss=2</script>\"\nlicensed=B\"true\"\n"
                        + "extension=\"2001\"\nendpointIp=\"10.0.0.51\"\n");
        rt = RunningRuntime.start(home, Map.of("CALLREC_CONSOLE_PASSWORD", PW));
        rt.awaitConsole(System.nanoTime(), 30_000, "admin", PW);
        browser = HeadlessChromium.launch(home.resolve("chromium"));
        browser.login("admin", PW);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        rt.close();
    }

    private String url(String page) {
        return "http://127.0.0.1:" + rt.port + "/system/console/" + page;
    }

    @Test
    void addsAUserAndShowsCallerTextAsText() throws Exception {
        browser.open(url("callrec-users"));
        browser.await("document.querySelectorAll('#users tbody tr').length >= 1", 10_000);
        String table = (String) browser.eval("document.querySelector('#users tbody').textContent");
        assertTrue(table.contains("Mallory <img src=x onerror=window.xss=1><script>window.xss=2</script>"), table);
        assertEquals(Boolean.TRUE, browser.eval("window.xss === undefined"), "no script from user data ran");
        assertEquals(0.0, browser.eval("document.querySelectorAll('#users img, #users tbody script').length"));

        browser.eval("(function(){var f=document.getElementById('user');f.elements.name.value='Bob';"
                + "f.elements.extension.value='20a2';f.elements.licensed.checked=true;"
                + "document.getElementById('save').click();})()");
        browser.await("document.querySelector('#problems').textContent.indexOf(\"extension: '20a2' is not valid\") >= 0", 10_000);
        browser.eval("(function(){var f=document.getElementById('user');f.elements.extension.value='2002';"
                + "f.elements.endpointIp.value='10.0.0.52';document.getElementById('save').click();})()");
        browser.await("document.querySelector('#users tr[data-extension=\"2002\"]') !== null", 10_000);
        browser.screenshot(SHOTS.resolve("users.png"));

        browser.open(url("callrec-activity"));
        browser.await("document.querySelector('#activity tr[data-extension=\"2002\"][data-state=\"IDLE\"]') !== null"
                + " && document.querySelector('#activity tr[data-extension=\"2001\"]') !== null", 10_000);
        assertEquals(Boolean.TRUE, browser.eval("window.xss === undefined"));
        browser.screenshot(SHOTS.resolve("activity.png"));
    }

    @Test
    void everyPageRendersAndShowsWhatIsMissing() throws Exception {
        browser.open(url("callrec-health"));
        browser.await("document.querySelector('#checks').textContent.indexOf('users') >= 0", 10_000);
        browser.await("document.querySelector('#links').textContent.indexOf('tapi') >= 0", 10_000);
        browser.await("document.getElementById('pending').textContent === '0 decode-pending recording(s)'", 10_000);
        browser.screenshot(SHOTS.resolve("health.png"));

        browser.open(url("callrec-services"));
        browser.await("document.querySelector('#services select[name=mode]').value === 'shoretel-tapi'", 10_000);
        browser.await("document.getElementById('lastswitch').textContent.indexOf('callrec.capture.mirror') >= 0", 10_000);
        browser.screenshot(SHOTS.resolve("services.png"));

        browser.open(url("callrec-recordings"));
        browser.await("document.getElementById('callrec-status').textContent.length > 0"
                + " || document.getElementById('pageinfo').textContent.length > 0", 10_000);
        browser.screenshot(SHOTS.resolve("recordings.png"));
    }
}
