package org.callrec.console.internal;

import java.io.PrintWriter;

import jakarta.servlet.Servlet;

import org.osgi.service.component.annotations.Component;

/** Real-Time Activity: every user's live state and whether the call is being recorded, and if not, why. */
@Component(service = Servlet.class, property = {
    "felix.webconsole.label=callrec-activity",
    "felix.webconsole.title=Real-Time Activity",
    "felix.webconsole.category=" + ConsolePage.CATEGORY})
public final class ActivityPage extends ConsolePage {

    private static final long serialVersionUID = 1L;

    @Override
    String page() {
        return "activity";
    }

    @Override
    void skeleton(PrintWriter pw) {
        pw.println("<table class='tablesorter nicetable' id='activity'><thead><tr><th>User</th><th>Extension</th>"
                + "<th>State</th><th>Other party</th><th>Duration</th><th>Recorded</th><th>Why not</th></tr></thead>"
                + "<tbody></tbody></table>");
    }
}
