package org.callrec.tapi.internal.scripted;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.callrec.tapi.internal.line.TapiConstants;

/**
 * A scripted PBX scenario: the lines (extensions) it uses and the steps it plays. Read from a JSON
 * file; every mistake is reported with the scenario, the step and what is wrong.
 *
 * <pre>
 * { "name": "...", "description": "...", "lines": ["1001", "1002"],
 *   "steps": [
 *     { "call": "a", "line": "1001", "state": "OFFERING",
 *       "info": { "callId": 7001, "origin": "EXTERNAL", "reason": "DIRECT", "caller": "+4930...", "called": "1001" } },
 *     { "call": "a", "state": "CONNECTED", "info": { "connected": "+4930..." } },
 *     { "link": "REINIT" }, { "link": "SILENT" }, { "link": "CLOSE", "line": "1001" },
 *     { "reply": 12, "result": 0 },
 *     { "quiet": true, "call": "b", ... }  (applied without messages while the link is down)
 *   ] }
 * </pre>
 * {@code after} (ms, default 400) paces a step when the PBX plays in real time.
 */
public record Scenario(String name, String description, List<String> lines, List<Step> steps) {

    /** The scenarios shipped in the bundle (src/main/resources/scenarios). */
    public static final List<String> SHIPPED = List.of("inbound-external-answered", "outbound-external",
            "internal-call", "hold-resume", "blind-transfer", "consultative-transfer", "conference-fourth-party",
            "findme-forward-extension", "findme-forward-external", "pbx-reboot-mid-call", "silent-tsp");

    private static final Set<String> INFO_KEYS = Set.of("callId", "relatedCallId", "origin", "reason", "caller",
            "called", "connected", "redirection", "redirecting");
    private static final Set<String> STEP_KEYS = Set.of("after", "call", "line", "info", "state", "link", "reply",
            "result", "quiet", "comment");

    /**
     * One step.
     *
     * @param index 1-based, for messages
     * @param link REINIT, SILENT or CLOSE, or null for a call step
     */
    public record Step(int index, long afterMs, String call, String line, Map<String, Object> info, String state,
            String link, Long reply, long result, boolean quiet) {
    }

    /** Loads a shipped scenario by name. */
    public static Scenario load(String name) {
        try (InputStream in = Scenario.class.getResourceAsStream("/scenarios/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no scripted PBX scenario '" + name + "'; shipped: " + SHIPPED);
            }
            return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("scenario '" + name + "' unreadable: " + e.getMessage(), e);
        }
    }

    /** Parses a scenario's JSON text. */
    @SuppressWarnings("unchecked")
    public static Scenario parse(String origin, String json) {
        Object root;
        try {
            root = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("scenario " + origin + ": " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("scenario " + origin + ": the top level must be an object");
        }
        String name = str(origin, "name", m.get("name"), true);
        List<String> lines = new ArrayList<>();
        if (!(m.get("lines") instanceof List<?> ls) || ls.isEmpty()) {
            throw new IllegalArgumentException("scenario " + name + ": 'lines' must be a non-empty list of extensions");
        }
        for (Object o : ls) {
            lines.add(str(name, "lines[]", o, true));
        }
        if (!(m.get("steps") instanceof List<?> ss) || ss.isEmpty()) {
            throw new IllegalArgumentException("scenario " + name + ": 'steps' must be a non-empty list");
        }
        List<Step> steps = new ArrayList<>();
        Set<String> calls = new java.util.HashSet<>();
        int i = 0;
        for (Object o : ss) {
            i++;
            String where = "scenario " + name + " step " + i;
            if (!(o instanceof Map<?, ?> s)) {
                throw new IllegalArgumentException(where + ": must be an object");
            }
            for (Object k : s.keySet()) {
                if (!STEP_KEYS.contains(k)) {
                    throw new IllegalArgumentException(where + ": unknown key '" + k + "' (allowed: " + STEP_KEYS + ")");
                }
            }
            long after = s.get("after") == null ? 400 : num(where, "after", s.get("after"));
            String link = str(where, "link", s.get("link"), false);
            String call = str(where, "call", s.get("call"), false);
            String line = str(where, "line", s.get("line"), false);
            String state = str(where, "state", s.get("state"), false);
            Map<String, Object> info = s.get("info") == null ? Map.of() : (Map<String, Object>) s.get("info");
            Long reply = s.get("reply") == null ? null : num(where, "reply", s.get("reply"));
            long result = s.get("result") == null ? 0 : num(where, "result", s.get("result"));
            boolean quiet = Boolean.TRUE.equals(s.get("quiet"));
            if (line != null && !lines.contains(line)) {
                throw new IllegalArgumentException(where + ": line '" + line + "' is not in 'lines' " + lines);
            }
            if (link != null) {
                if (!Set.of("REINIT", "SILENT", "CLOSE").contains(link)) {
                    throw new IllegalArgumentException(where + ": link must be REINIT, SILENT or CLOSE, not '" + link + "'");
                }
                if (link.equals("CLOSE") && line == null) {
                    throw new IllegalArgumentException(where + ": link CLOSE needs a 'line'");
                }
            } else if (reply == null) {
                if (call == null) {
                    throw new IllegalArgumentException(where + ": needs 'call', 'link' or 'reply'");
                }
                for (String k : info.keySet()) {
                    if (!INFO_KEYS.contains(k)) {
                        throw new IllegalArgumentException(where + ": unknown info key '" + k + "' (allowed: " + INFO_KEYS + ")");
                    }
                }
                try {
                    if (state != null) {
                        TapiConstants.callState(state);
                    }
                    if (info.get("origin") != null) {
                        TapiConstants.origin((String) info.get("origin"));
                    }
                    if (info.get("reason") != null) {
                        TapiConstants.reason((String) info.get("reason"));
                    }
                } catch (IllegalArgumentException | ClassCastException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
                if (calls.add(call)) {
                    if (line == null || info.get("callId") == null || state == null) {
                        throw new IllegalArgumentException(where + ": the first step of call '" + call
                                + "' needs 'line', 'state' and info.callId");
                    }
                }
            }
            steps.add(new Step(i, after, call, line, info, state, link, reply, result, quiet));
        }
        return new Scenario(name, str(name, "description", m.get("description"), false), List.copyOf(lines),
                List.copyOf(steps));
    }

    private static String str(String where, String key, Object v, boolean required) {
        if (v == null && !required) {
            return null;
        }
        if (!(v instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(where + ": '" + key + "' must be a non-empty string, not " + v);
        }
        return s;
    }

    private static long num(String where, String key, Object v) {
        if (!(v instanceof Long l) || l < 0) {
            throw new IllegalArgumentException(where + ": '" + key + "' must be a whole number >= 0, not " + v);
        }
        return l;
    }
}
