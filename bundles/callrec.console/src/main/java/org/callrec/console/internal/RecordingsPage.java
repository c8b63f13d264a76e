package org.callrec.console.internal;

import java.io.PrintWriter;

import jakarta.servlet.Servlet;

import org.osgi.service.component.annotations.Component;

/** Recordings: search with paging, play in the browser (seekable), download; every play/download is audited. */
@Component(service = Servlet.class, property = {
    "felix.webconsole.label=callrec-recordings",
    "felix.webconsole.title=Recordings",
    "felix.webconsole.category=" + ConsolePage.CATEGORY})
public final class RecordingsPage extends ConsolePage {

    private static final long serialVersionUID = 1L;

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
}
