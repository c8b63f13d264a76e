package org.callrec.console.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.callrec.api.storage.PendingDecoder;
import org.callrec.api.storage.RecordingEntry;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recordings: search with paging, play in the browser (seekable), download, a waveform per
 * recording; every play/download is audited. Decode-pending recordings (G.729 kept raw) get a
 * button that decodes them now (POST with the page's CSRF token).
 */
@Component(service = Servlet.class, property = {
    "felix.webconsole.label=callrec-recordings",
    "felix.webconsole.title=Recordings",
    "felix.webconsole.category=" + ConsolePage.CATEGORY})
public final class RecordingsPage extends ConsolePage {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RecordingsPage.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient PendingDecoder decoder;

    @Override
    String page() {
        return "recordings";
    }

    @Override
    void skeleton(PrintWriter pw) {
        pw.println("<form id='search' class='callrec-form'>"
                + "<label>From <input name='from' placeholder='2026-11-26T00:00:00Z'/></label>"
                + "<label>To <input name='to'/></label>"
                + "<label>Extension <input name='extension' size='8'/></label>"
                + "<label>User id <input name='user' size='10'/></label>"
                + "<label>ANI <input name='ani' size='12'/></label>"
                + "<label>DNIS <input name='dnis' size='12'/></label>"
                + "<label>Status <select name='status'><option value=''>any</option><option>recording</option>"
                + "<option>complete</option><option>interrupted</option><option>decode-pending</option>"
                + "<option>failed</option><option>skipped</option></select></label>"
                + "<label>Min. duration (s) <input name='minDurationS' size='5'/></label>"
                + "<button type='submit'>Search</button></form>");
        pw.println("<table class='nicetable' id='recordings'><thead><tr><th>Start</th><th>Extension</th><th>ANI</th>"
                + "<th>DNIS</th><th>Duration</th><th>Status</th><th>Codecs</th><th>Lost</th><th>Gaps</th><th>DTMF</th>"
                + "<th>Audio</th></tr></thead><tbody></tbody></table>");
        pw.println("<p><button id='prev'>&lt; Previous</button> <span id='pageinfo'></span> <button id='next'>Next &gt;</button></p>");
    }

    /** {@code action=decode&id=...}: decodes one decode-pending recording now. */
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!changeAllowed(req, resp)) {
            return;
        }
        String action = Optional.ofNullable(req.getParameter("action")).orElse("");
        PendingDecoder d = decoder;
        if (d == null) {
            RestApi.error(resp, 503, "decoding of decode-pending recordings (callrec.storage) is not running");
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        switch (action) {
            case "decode" -> {
                String id = Optional.ofNullable(req.getParameter("id")).orElse("");
                try {
                    RecordingEntry e = d.decode(id);
                    LOG.info("Recording {} decoded on request of console user {}", id, user(req));
                    out.put("id", e.id());
                    out.put("status", e.status());
                    out.put("durationMillis", e.durationMillis());
                } catch (IllegalArgumentException e) {
                    RestApi.error(resp, 400, e.getMessage());
                    return;
                } catch (IllegalStateException e) {
                    RestApi.error(resp, 409, e.getMessage());
                    return;
                } catch (IOException e) {
                    RestApi.error(resp, 500, "recording " + id + " stays decode-pending: " + e.getMessage());
                    return;
                }
            }
            case "decode-all" -> {
                List<String> done = d.decodeAll();
                out.put("decoded", done);
            }
            default -> {
                RestApi.error(resp, 400, "unknown action '" + action + "'");
                return;
            }
        }
        ok(resp, out);
    }
}
