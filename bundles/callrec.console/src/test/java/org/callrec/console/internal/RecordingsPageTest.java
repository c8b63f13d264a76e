package org.callrec.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.callrec.api.storage.PendingDecoder;
import org.callrec.api.storage.RecordingEntry;
import org.junit.jupiter.api.Test;

/** The Recordings page's decode action: only with the page's CSRF token, errors mapped to clear answers. */
class RecordingsPageTest {

    final List<String> asked = new ArrayList<>();

    final PendingDecoder decoder = new PendingDecoder() {
        @Override
        public RecordingEntry decode(String id) throws IOException {
            asked.add(id);
            return switch (id) {
                case WaveformTest.ID -> WaveformTest.entry();
                case "unavailable" -> throw new IllegalStateException("G729 still cannot be decoded here");
                case "broken" -> throw new IOException("disk full");
                default -> throw new IllegalArgumentException("no recording " + id);
            };
        }

        @Override
        public List<String> decodeAll() {
            return List.of(WaveformTest.ID);
        }
    };

    FakeHttp post(String id, boolean token) throws Exception {
        RecordingsPage page = new RecordingsPage();
        FakeHttp.inject(page, "decoder", decoder);
        FakeHttp http = new FakeHttp();
        http.parameters.put("action", "decode");
        http.parameters.put("id", id);
        if (token) {
            http.requestHeaders.put(Csrf.HEADER, Csrf.token("admin"));
        }
        page.doPost(http.request(), http.response());
        return http;
    }

    @Test
    void decodeNeedsTheTokenAndSaysWhatHappened() throws Exception {
        FakeHttp refused = post(WaveformTest.ID, false);
        assertEquals(403, refused.status);
        assertEquals(List.of(), asked, "decoded without the CSRF token");

        FakeHttp ok = post(WaveformTest.ID, true);
        assertEquals(200, ok.status, ok.text());
        assertTrue(ok.text().contains("\"status\":\"COMPLETE\""), ok.text());
        assertEquals(List.of(WaveformTest.ID), asked);

        assertEquals(409, post("unavailable", true).status);
        FakeHttp broken = post("broken", true);
        assertEquals(500, broken.status);
        assertTrue(broken.text().contains("stays decode-pending") && broken.text().contains("disk full"), broken.text());
        assertEquals(400, post("nope", true).status);
    }
}
