package org.callrec.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.callrec.api.directory.User;
import org.callrec.api.mode.IntegrationMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleHelpersTest {

    @TempDir
    Path dir;

    @Test
    void jsonEscapesMarkupAndControlCharacters() {
        String j = Json.of(Map.of("ani", "<script>alert('x')</script>\n\u0001"));
        assertEquals("{\"ani\":\"\\u003cscript\\u003ealert(\\u0027x\\u0027)\\u003c/script\\u003e\\n\\u0001\"}", j);
        assertFalse(j.contains("<"));
        assertEquals("{\"id\":\"u1\",\"name\":\"A\",\"account\":\"a\",\"licensed\":true,\"recordingServer\":\"\","
                + "\"extension\":\"2001\",\"additionalExtensions\":[\"2901\"],\"endpointIp\":null}",
                Json.of(new User("u1", "A", "a", true, "", "2001", List.of("2901"), null)));
        assertEquals("\"shoretel-tapi-wave\"", Json.of(IntegrationMode.SHORETEL_TAPI_WAVE));
        assertEquals("[1,2.5,null]", Json.of(java.util.Arrays.asList(1, 2.5, null)));
    }

    @Test
    void csvRoundTripsQuotesCommasAndNewlinesAndDefusesFormulas() {
        String text = Csv.write(List.of("a", "b"), List.of(List.of("x,y", "say \"hi\"\nthere"), List.of("=cmd()", "@sum")));
        assertEquals("a,b\r\n\"x,y\",\"say \"\"hi\"\"\nthere\"\r\n'=cmd(),'@sum\r\n", text);
        List<List<String>> back = Csv.parse(text);
        assertEquals(List.of(List.of("a", "b"), List.of("x,y", "say \"hi\"\nthere"), List.of("'=cmd()", "'@sum")), back);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Csv.parse("a,b\n\"open,2\n"));
        assertEquals("line 2: a quoted field is not closed", e.getMessage());
    }

    @Test
    void csrfTokensAreBoundToTheUser() {
        assertEquals(Csrf.token("admin"), Csrf.token("admin"));
        assertNotEquals(Csrf.token("admin"), Csrf.token("ops"));
        assertTrue(Csrf.token("admin").length() >= 40);
    }

    @Test
    void auditLinesCannotBeForged() throws Exception {
        AccessAudit audit = new AccessAudit(dir.resolve("audit/access.log"));
        audit.record("admin\n2026-01-01T00:00:00Z\tevil", "127.0.0.1", "play", "20261126-abc");
        audit.record("admin", "127.0.0.1", "download", "20261126-abc");
        List<String> lines = Files.readAllLines(dir.resolve("audit/access.log"));
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).endsWith("\tadmin_2026-01-01T00:00:00Z_evil\t127.0.0.1\tplay\t20261126-abc"), lines.get(0));
        assertTrue(lines.get(1).endsWith("\tadmin\t127.0.0.1\tdownload\t20261126-abc"), lines.get(1));
    }

    @Test
    void usersFormSplitsAdditionalExtensions() {
        User u = UsersPage.fromForm("", " Ann ", "ann", "true", "rec-a", " 2005 ", "2905, 2906 2907", " ");
        assertEquals("", u.id());
        assertEquals("Ann", u.name());
        assertEquals(List.of("2905", "2906", "2907"), u.additionalExtensions());
        assertEquals(null, u.endpointIp());
        assertTrue(u.licensed());
    }
}
