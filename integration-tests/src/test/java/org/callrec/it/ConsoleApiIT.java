package org.callrec.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The callrec console pages and REST API on the running jar: everything behind the console's
 * login, changes only with the page's CSRF token, the same validation messages as the import.
 */
class ConsoleApiIT {

    private static final String PW = "console-it-password";

    @TempDir
    static Path home;

    private static RunningRuntime rt;
    private static String csrf;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        // provisioned from conf/, as an administrator may: fileinstall's <factoryPid>-<name>.config
        Files.writeString(home.resolve("conf/org.callrec.core.user-alice.config"),
                "name=\"Alice <script>alert(1)</script>\"\nlicensed=B\"true\"\nextension=\"2001\"\nendpointIp=\"10.0.0.51\"\n");
        rt = RunningRuntime.start(home, Map.of("CALLREC_CONSOLE_PASSWORD", PW));
        rt.awaitConsole(System.nanoTime(), 30_000, "admin", PW);
        HttpResponse<String> page = rt.get("/system/console/callrec-users", "admin", PW);
        assertEquals(200, page.statusCode());
        Matcher m = Pattern.compile("data-csrf='([^']+)'").matcher(page.body());
        assertTrue(m.find(), page.body());
        csrf = m.group(1);
    }

    @AfterAll
    static void stop() throws Exception {
        rt.close();
    }

    private static String form(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sb.toString();
    }

    /** JSON bodies escape quotes and markup as \\uXXXX; tests compare with the text. */
    private static String text(HttpResponse<String> r) {
        Matcher m = Pattern.compile("\\\\u([0-9a-fA-F]{4})").matcher(r.body());
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String awaitBody(String path, String expected) throws Exception {
        String body = "";
        for (int i = 0; i < 50; i++) {
            body = rt.get(path, "admin", PW).body();
            if (body.contains(expected)) {
                return body;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " never contained " + expected + ": " + body);
    }

    @Test
    void everyPageAndApiCallNeedsTheLogin() throws Exception {
        for (String p : new String[] {"/callrec/api/users", "/callrec/api/activity", "/callrec/api/health",
                "/callrec/api/recordings", "/system/console/callrec-activity", "/system/console/callrec-users",
                "/system/console/callrec-recordings", "/system/console/callrec-services", "/system/console/callrec-health"}) {
            assertEquals(401, rt.get(p, null, null).statusCode(), p);
            assertEquals(401, rt.get(p, "admin", "admin").statusCode(), p);
        }
        for (String p : new String[] {"/system/console/callrec-activity", "/system/console/callrec-recordings",
                "/system/console/callrec-services", "/system/console/callrec-health"}) {
            assertEquals(200, rt.get(p, "admin", PW).statusCode(), p);
        }
    }

    @Test
    void provisionedUserIsListedEscapedAndIdleOnActivity() throws Exception {
        String users = awaitBody("/callrec/api/users", "2001");
        assertTrue(users.contains("Alice \\u003cscript\\u003ealert(1)\\u003c/script\\u003e"), users);
        assertFalse(users.contains("<script>"));
        String activity = awaitBody("/callrec/api/activity", "2001");
        assertTrue(activity.contains("\"state\":\"IDLE\""), activity);
    }

    @Test
    void usersAreChangedOnlyWithTheCsrfTokenAndValidated() throws Exception {
        String add = form(Map.of("action", "save", "name", "Bob", "licensed", "true", "extension", "2002",
                "additionalExtensions", "2902", "endpointIp", "10.0.0.52"));
        assertEquals(403, rt.post("/system/console/callrec-users", "admin", PW, Map.of(), add).statusCode());
        assertEquals(403, rt.post("/system/console/callrec-users", "admin", PW, Map.of("X-Callrec-Csrf", "forged"), add)
                .statusCode());
        assertEquals(403, rt.post("/system/console/callrec-users", "admin", PW,
                Map.of("X-Callrec-Csrf", csrf, "Origin", "http://evil.example"), add).statusCode());

        HttpResponse<String> ok = rt.post("/system/console/callrec-users", "admin", PW, Map.of("X-Callrec-Csrf", csrf), add);
        assertEquals(200, ok.statusCode(), ok.body());
        awaitBody("/callrec/api/users", "\"extension\":\"2002\"");

        HttpResponse<String> bad = rt.post("/system/console/callrec-users", "admin", PW, Map.of("X-Callrec-Csrf", csrf),
                form(Map.of("action", "save", "name", "Eve", "extension", "20a2", "additionalExtensions", "2001",
                        "endpointIp", "10.0.0.300")));
        assertEquals(400, bad.statusCode());
        assertTrue(text(bad).contains("extension: '20a2' is not valid; allowed: 1-15 digits"), bad.body());
        assertTrue(text(bad).contains("endpointIp: '10.0.0.300' is not valid; allowed: an IPv4 or IPv6 address"), bad.body());
        assertTrue(text(bad).contains("extension 2001 already belongs to user"), bad.body());

        String csv = rt.get("/system/console/callrec-users?format=csv", "admin", PW).body();
        assertTrue(csv.startsWith("name,account,licensed,recordingServer,extension,additionalExtensions,endpointIp\r\n"), csv);
        assertTrue(csv.contains("Bob,,true,,2002,2902,10.0.0.52"), csv);
        HttpResponse<String> imported = rt.post("/system/console/callrec-users", "admin", PW, Map.of("X-Callrec-Csrf", csrf),
                form(Map.of("action", "import", "csv", "name,account,licensed,recordingServer,extension,additionalExtensions,endpointIp\n"
                        + "Carol,carol,true,,2003,,10.0.0.53\nDan,dan,true,,x9,,\n")));
        assertEquals(200, imported.statusCode());
        assertTrue(text(imported).contains("line 3: extension: 'x9' is not valid; allowed: 1-15 digits"), imported.body());
        awaitBody("/callrec/api/users", "\"extension\":\"2003\"");
    }

    @Test
    void servicesFormValidatesLikeTheImportAndSwitchesTheMode() throws Exception {
        HttpResponse<String> bad = rt.post("/system/console/callrec-services", "admin", PW, Map.of("X-Callrec-Csrf", csrf),
                form(Map.of("mode", "shoretel-tapi-wave", "TapiWaveHeartbeatSendPort", "65536", "TapiWaveBuffersPerDevice", "1")));
        assertEquals(400, bad.statusCode());
        assertTrue(text(bad).contains("TapiWaveHeartbeatSendPort: value '65536' is not valid; allowed: a port number 1-65535"), bad.body());
        assertTrue(text(bad).contains("ShoreTelTapiWaveRoutePointExtension: missing; it is required"), bad.body());
        assertTrue(text(bad).contains("TapiWaveBuffersPerDevice: value '1' is not valid"), bad.body());
        assertFalse(text(bad).contains("TapiWaveHeartbeatTimer"), "a field left empty keeps its value");

        HttpResponse<String> ok = rt.post("/system/console/callrec-services", "admin", PW, Map.of("X-Callrec-Csrf", csrf),
                form(Map.of("mode", "shoretel-tapi-wave", "ShoreTelTapiWaveRoutePointExtension", "7999",
                        "TapiWaveHeartbeatTimer", "1000", "pbxAddress", "192.0.2.10")));
        assertEquals(200, ok.statusCode(), ok.body());
        String state = awaitBody("/system/console/callrec-services?format=json", "\"to\":\"shoretel-tapi-wave\"");
        assertTrue(state.contains("\"ShoreTelTapiWaveRoutePointExtension\":\"7999\""), state);
        assertTrue(state.contains("\"started\":[\"callrec.capture.wave\",\"callrec.ha\"]"), state);
        awaitBody("/callrec/api/health", "\"mode\":\"shoretel-tapi-wave\"");
    }
}
