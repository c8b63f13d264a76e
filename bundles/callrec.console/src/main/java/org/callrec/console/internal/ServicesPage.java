package org.callrec.console.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.callrec.api.mode.IntegrationMode;
import org.callrec.api.mode.ModeController;
import org.callrec.api.settings.ServiceSetting;
import org.callrec.api.settings.ServiceSettings;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.owasp.encoder.Encode;

/**
 * Services: the integration mode and the service settings of the original product, validated
 * exactly as the configuration import validates them. Saving a mode goes through the mode
 * controller, and the page shows which bundles it started and stopped.
 */
@Component(service = Servlet.class, property = {
    "felix.webconsole.label=callrec-services",
    "felix.webconsole.title=Services",
    "felix.webconsole.category=" + ConsolePage.CATEGORY})
public final class ServicesPage extends ConsolePage {

    private static final long serialVersionUID = 1L;
    static final String PBX_PID = "org.callrec.tapi";
    static final String PBX_KEY = "pbxAddress";

    @Reference
    private transient ConfigurationAdmin configAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient ServiceSettings settings;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient ModeController modes;

    @Override
    String page() {
        return "services";
    }

    @Override
    void skeleton(PrintWriter pw) {
        pw.println("<form id='services' class='callrec-form'>");
        pw.println("<label>Integration mode <select name='mode'>");
        for (IntegrationMode m : IntegrationMode.values()) {
            pw.println("<option value='" + Encode.forHtmlAttribute(m.id()) + "'>" + Encode.forHtml(m.label()) + "</option>");
        }
        pw.println("</select></label>");
        pw.println("<label>PBX IP address <input name='" + PBX_KEY + "' size='20'/></label>");
        ServiceSettings s = settings;
        if (s != null) {
            for (ServiceSetting st : s.settings()) {
                pw.println("<label title='" + Encode.forHtmlAttribute(st.allowed()) + "'>" + Encode.forHtml(st.key())
                        + " <input name='" + Encode.forHtmlAttribute(st.key()) + "' size='10'/> <small>"
                        + Encode.forHtml(st.allowed()) + "</small></label>");
            }
        } else {
            pw.println("<p>Service settings are unavailable: callrec.core is not running.</p>");
        }
        pw.println("<button type='submit'>Save</button></form>");
        pw.println("<ul id='problems' class='ui-state-error'></ul><h3>Last mode switch</h3><p id='lastswitch'></p>");
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        if ("json".equals(req.getParameter("format"))) {
            RestApi.json(resp, 200, current());
            return;
        }
        super.doGet(req, resp);
    }

    Map<String, Object> current() throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        ModeController m = modes;
        out.put("mode", m == null || m.mode() == null ? IntegrationMode.SHORETEL_TAPI.id() : m.mode().id());
        out.put("lastModeSwitch", m == null ? null : m.lastSwitch().orElse(null));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(PBX_KEY, value(PBX_PID, PBX_KEY));
        ServiceSettings s = settings;
        if (s != null) {
            for (ServiceSetting st : s.settings()) {
                Object v = value(st.pid(), st.key());
                values.put(st.key(), v != null ? v : st.defaultValue());
            }
        }
        out.put("values", values);
        return out;
    }

    private Object value(String pid, String key) throws IOException {
        Dictionary<String, Object> p = configAdmin.getConfiguration(pid, "?").getProperties();
        return p == null ? null : p.get(key);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!changeAllowed(req, resp)) {
            return;
        }
        ServiceSettings s = settings;
        if (s == null) {
            RestApi.error(resp, 503, "service settings (callrec.core) are not running");
            return;
        }
        IntegrationMode mode;
        try {
            mode = IntegrationMode.fromId(String.valueOf(req.getParameter("mode")));
        } catch (IllegalArgumentException e) {
            RestApi.json(resp, 400, Map.of("problems", List.of("mode: " + e.getMessage())));
            return;
        }
        List<String> problems = new ArrayList<>();
        String pbx = req.getParameter(PBX_KEY) == null ? "" : req.getParameter(PBX_KEY).trim();
        if (!pbx.isEmpty() && !pbx.matches("[0-9A-Za-z.:-]{1,253}")) {
            problems.add(PBX_KEY + ": '" + pbx + "' is not valid; allowed: an IPv4/IPv6 address or host name");
        }
        Map<String, Map<String, Object>> byPid = new LinkedHashMap<>();
        for (ServiceSetting st : s.settings()) {
            String raw = req.getParameter(st.key());
            s.problem(st.key(), raw, mode).ifPresentOrElse(problems::add, () -> {
                if (raw != null && !raw.isBlank()) {
                    byPid.computeIfAbsent(st.pid(), k -> new LinkedHashMap<>()).put(st.key(), s.typed(st.key(), raw));
                }
            });
        }
        if (!problems.isEmpty()) {
            RestApi.json(resp, 400, Map.of("problems", problems));
            return;
        }
        byPid.computeIfAbsent(PBX_PID, k -> new LinkedHashMap<>()).put(PBX_KEY, pbx);
        for (Map.Entry<String, Map<String, Object>> e : byPid.entrySet()) {
            update(e.getKey(), e.getValue());
        }
        update(ModeController.PID, Map.of("mode", mode.id()));
        ok(resp, Map.of("saved", true, "mode", mode.id()));
    }

    private void update(String pid, Map<String, Object> values) throws IOException {
        Configuration c = configAdmin.getConfiguration(pid, "?");
        Dictionary<String, Object> p = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        values.forEach(p::put);
        c.update(p);
    }
}
