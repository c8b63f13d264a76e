package org.callrec.console.internal;

import java.io.PrintWriter;

import jakarta.servlet.Servlet;

import org.osgi.service.component.annotations.Component;

/** HA and diagnostics: node role and heartbeats, TAPI link, every health check and diagnosis. */
@Component(service = Servlet.class, property = {
    "felix.webconsole.label=callrec-health",
    "felix.webconsole.title=HA and Diagnostics",
    "felix.webconsole.category=" + ConsolePage.CATEGORY})
public final class HealthPage extends ConsolePage {

    private static final long serialVersionUID = 1L;

    @Override
    String page() {
        return "health";
    }

    @Override
    void skeleton(PrintWriter pw) {
        pw.println("<h3>Integration mode</h3><p id='mode'></p>");
        pw.println("<h3>Recordings waiting for a decoder</h3><p id='pending'></p>");
        pw.println("<h3>High availability</h3><table class='nicetable' id='ha'><tbody></tbody></table>");
        pw.println("<h3>Call-control links</h3><table class='nicetable' id='links'><thead><tr><th>Source</th><th>Status</th>"
                + "<th>Since</th><th>Last error</th></tr></thead><tbody></tbody></table>");
        pw.println("<h3>Health checks</h3><table class='nicetable' id='checks'><thead><tr><th>Check</th><th>Status</th>"
                + "<th>Message</th><th>Details</th></tr></thead><tbody></tbody></table>");
    }
}
