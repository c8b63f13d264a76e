package org.callrec.console.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.callrec.api.directory.User;
import org.callrec.api.directory.UserAdministration;
import org.callrec.api.directory.UserDirectory;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Users: list, add, edit, delete, and CSV import/export for bulk changes. */
@Component(service = Servlet.class, property = {
    "felix.webconsole.label=callrec-users",
    "felix.webconsole.title=Users",
    "felix.webconsole.category=" + ConsolePage.CATEGORY})
public final class UsersPage extends ConsolePage {

    private static final long serialVersionUID = 1L;
    static final List<String> CSV_COLUMNS = List.of("name", "account", "licensed", "recordingServer", "extension",
            "additionalExtensions", "endpointIp");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient UserAdministration admin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient UserDirectory directory;

    @Override
    String page() {
        return "users";
    }

    @Override
    void skeleton(PrintWriter pw) {
        pw.println("<form id='user' class='callrec-form'><input type='hidden' name='id'/>"
                + "<label>Name <input name='name' required/></label>"
                + "<label>Account <input name='account'/></label>"
                + "<label><input type='checkbox' name='licensed' value='true'/> Call Recording license</label>"
                + "<label>Recording server <input name='recordingServer'/></label>"
                + "<label>Extension <input name='extension' size='8' required/></label>"
                + "<label>Additional extensions <input name='additionalExtensions' placeholder='2901, 2902'/></label>"
                + "<label>Endpoint IP <input name='endpointIp' placeholder='10.0.0.51'/></label>"
                + "<button type='submit' id='save'>Save user</button> <button type='button' id='new'>New</button></form>");
        pw.println("<ul id='problems' class='ui-state-error'></ul>");
        pw.println("<table class='nicetable' id='users'><thead><tr><th>Name</th><th>Account</th><th>Licensed</th>"
                + "<th>Server</th><th>Extension</th><th>Additional</th><th>Endpoint IP</th><th></th></tr></thead>"
                + "<tbody></tbody></table>");
        pw.println("<h3>Bulk changes (CSV)</h3><p><a id='export' href='?format=csv'>Export users as CSV</a></p>"
                + "<form id='import'><textarea name='csv' rows='6' cols='90' placeholder='"
                + String.join(",", CSV_COLUMNS) + "'></textarea><br/><button type='submit'>Import CSV</button></form>");
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        if ("csv".equals(req.getParameter("format"))) {
            UserDirectory d = directory;
            resp.setContentType("text/csv");
            resp.setCharacterEncoding("UTF-8");
            resp.setHeader("Content-Disposition", "attachment; filename=\"callrec-users.csv\"");
            resp.getOutputStream().write(Csv.write(CSV_COLUMNS, d == null ? List.of() : d.users().stream().map(u -> List.of(
                    u.name(), u.account(), String.valueOf(u.licensed()), u.recordingServer(), u.extension(),
                    String.join(";", u.additionalExtensions()), u.endpointIp() == null ? "" : u.endpointIp())).toList())
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        super.doGet(req, resp);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!changeAllowed(req, resp)) {
            return;
        }
        UserAdministration a = admin;
        if (a == null) {
            RestApi.error(resp, 503, "user administration (callrec.core) is not running");
            return;
        }
        String action = Optional.ofNullable(req.getParameter("action")).orElse("");
        Map<String, Object> out = new LinkedHashMap<>();
        switch (action) {
            case "save" -> {
                User u = fromForm(req.getParameter("id"), req.getParameter("name"), req.getParameter("account"),
                        req.getParameter("licensed"), req.getParameter("recordingServer"), req.getParameter("extension"),
                        req.getParameter("additionalExtensions"), req.getParameter("endpointIp"));
                List<String> problems = a.problems(u);
                if (!problems.isEmpty()) {
                    RestApi.json(resp, 400, Map.of("problems", problems));
                    return;
                }
                out.put("id", a.save(u));
            }
            case "delete" -> out.put("deleted", a.delete(Optional.ofNullable(req.getParameter("id")).orElse("")));
            case "import" -> {
                List<String> problems = importCsv(a, Optional.ofNullable(req.getParameter("csv")).orElse(""));
                out.put("problems", problems);
            }
            default -> {
                RestApi.error(resp, 400, "unknown action '" + action + "'");
                return;
            }
        }
        ok(resp, out);
    }

    /** Imports rows; a row whose extension is a known user's updates that user. Each bad row is reported by line. */
    List<String> importCsv(UserAdministration a, String csv) {
        List<String> problems = new ArrayList<>();
        List<List<String>> rows;
        try {
            rows = Csv.parse(csv);
        } catch (IllegalArgumentException e) {
            return List.of(e.getMessage());
        }
        if (rows.isEmpty() || !rows.get(0).equals(CSV_COLUMNS)) {
            return List.of("line 1: the header must be " + String.join(",", CSV_COLUMNS));
        }
        UserDirectory d = directory;
        for (int i = 1; i < rows.size(); i++) {
            List<String> r = rows.get(i);
            if (r.size() == 1 && r.get(0).isBlank()) {
                continue;
            }
            if (r.size() != CSV_COLUMNS.size()) {
                problems.add("line " + (i + 1) + ": " + r.size() + " fields, expected " + CSV_COLUMNS.size());
                continue;
            }
            String existing = d == null ? null : d.byExtension(r.get(4).trim()).map(User::id).orElse(null);
            try {
                a.save(fromForm(existing, r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5).replace(';', ','), r.get(6)));
            } catch (IllegalArgumentException e) {
                problems.add("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return problems;
    }

    static User fromForm(String id, String name, String account, String licensed, String server, String extension,
            String additional, String ip) {
        List<String> extra = additional == null || additional.isBlank() ? List.of()
                : Arrays.stream(additional.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
        return new User(id == null || id.isBlank() ? "" : id, trim(name), trim(account),
                "true".equalsIgnoreCase(trim(licensed)), trim(server), trim(extension), extra,
                ip == null || ip.isBlank() ? null : ip.trim());
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }
}
