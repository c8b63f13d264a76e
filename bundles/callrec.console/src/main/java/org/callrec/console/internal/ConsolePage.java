package org.callrec.console.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.owasp.encoder.Encode;

/**
 * A callrec page inside the Felix Web Console. The server renders only the page's skeleton and
 * its CSRF token; data comes from the REST API and is put into the page by res/callrec.js with
 * textContent only, so no recorded text (ANI, names) can ever become markup.
 */
abstract class ConsolePage extends AbstractServlet {

    private static final long serialVersionUID = 1L;
    static final String CATEGORY = "callrec";

    /** @return the page's id for callrec.js */
    abstract String page();

    /** Writes the page's static structure (forms, empty tables). */
    abstract void skeleton(PrintWriter pw);

    @Override
    public void renderContent(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        PrintWriter pw = resp.getWriter();
        String root = String.valueOf(req.getAttribute("felix.webconsole.pluginRoot"));
        pw.println("<div id='callrec' data-page='" + Encode.forHtmlAttribute(page()) + "' data-csrf='"
                + Encode.forHtmlAttribute(Csrf.token(user(req))) + "' data-api='/callrec/api' data-self='"
                + Encode.forHtmlAttribute(root) + "'>");
        pw.println("<p class='statline' id='callrec-status'></p>");
        skeleton(pw);
        pw.println("</div>");
        pw.println("<link rel='stylesheet' href='" + Encode.forHtmlAttribute(root) + "/res/callrec.css'/>");
        pw.println("<script src='" + Encode.forHtmlAttribute(root) + "/res/callrec.js'></script>");
    }

    static String user(HttpServletRequest req) {
        String u = req.getRemoteUser();
        if (u == null) {
            Object a = req.getAttribute(ConsoleLogin.REMOTE_USER_ATTRIBUTE);
            u = a == null ? null : a.toString();
        }
        return u == null ? "" : u;
    }

    /** Refuses a change without the page's CSRF token; answers 403 and returns false. */
    static boolean changeAllowed(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String why = Csrf.refusal(req);
        if (why != null) {
            RestApi.error(resp, 403, "change refused: " + why);
            return false;
        }
        return true;
    }

    static String body(HttpServletRequest req) throws IOException {
        byte[] b = req.getInputStream().readNBytes(1 << 20);
        return new String(b, StandardCharsets.UTF_8);
    }

    static void ok(HttpServletResponse resp, Map<String, Object> body) throws IOException {
        RestApi.json(resp, 200, body);
    }
}
