package org.callrec.tapi.internal.scripted;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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
 * {@code after} (ms, default 400) paces a step when the PBX plays in real time: the time since the
 * step before. On a capture file's clock ({@code callrec import --scenario}) each step takes effect
 * at the scenario's start plus its offset: the sum of the {@code after}s so far, or {@code at}
 * (ms since the start) instead of {@code after} where a step names its time outright. The start is
 * the capture's first packet unless the top level names it: {@code "start": "2026-11-26T04:00:00Z"}
 * (ISO-8601, a capture time). Offsets never go back: an {@code at} before the step before it is an
 * error. A {@code quiet} step happens with the step before it, whatever its offset.
 *
 * @param start the capture time the offsets count from, or null for the capture's first packet
 */
public record Scenario(String name, String description, Instant start, List<String> lines, List<Step> steps) {

    /** The scenarios shipped in the bundle (src/main/resources/scenarios). */
    public static final List<String> SHIPPED = List.of("inbound-external-answered", "outbound-external",
            "internal-call", "hold-resume", "blind-transfer", "consultative-transfer", "conference-fourth-party",
            "findme-forward-extension", "findme-forward-external", "pbx-reboot-mid-call", "silent-tsp");

    private static final Set<String> INFO_KEYS = Set.of("callId", "relatedCallId", "origin", "reason", "caller",
            "called", "connected", "redirection", "redirecting");
    private static final Set<String> STEP_KEYS = Set.of("after", "at", "call", "line", "info", "state", "link",
            "reply", "result", "quiet", "comment");
    private static final Set<String> TOP_KEYS = Set.of("name", "description", "start", "lines", "steps", "comment");

    /**
     * One step.
     *
     * @param index 1-based, for messages
     * @param afterMs pause since the step before, in real time
     * @param offsetMs when it takes effect on a capture clock: ms since the scenario's start
     * @param link REINIT, SILENT or CLOSE, or null for a call step
     */
    public record Step(int index, long afterMs, long offsetMs, String call, String line, Map<String, Object> info,
            String state, String link, Long reply, long result, boolean quiet) {
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

    /**
     * Loads a scenario file.
     *
     * @throws IllegalArgumentException naming the file (and the step) and what is wrong
     */
    public static Scenario load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("scenario file " + file + ": unreadable: " + e, e);
        }
        try {
            return parse(file.toString(), text);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            String own = "scenario " + file + ": "; // errors before the name is known carry the origin
            throw new IllegalArgumentException("scenario file " + file + ": " + (m.startsWith(own)
                    ? m.substring(own.length()) : m), e);
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
        for (Object k : m.keySet()) {
            if (!TOP_KEYS.contains(k)) {
                throw new IllegalArgumentException("scenario " + origin + ": unknown key '" + k + "' (allowed: "
                        + TOP_KEYS + ")");
            }
        }
        String name = str(origin, "name", m.get("name"), true);
        Instant start = null;
        if (m.get("start") != null) {
            try {
                start = Instant.parse(str(name, "start", m.get("start"), true));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("scenario " + name + ": 'start' must be an ISO-8601 time such as"
                        + " 2026-11-26T04:00:00.250Z, not '" + m.get("start") + "'", e);
            }
        }
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
        long offset = 0;
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
            boolean quiet = Boolean.TRUE.equals(s.get("quiet"));
            if (s.get("at") != null) {
                if (s.get("after") != null) {
                    throw new IllegalArgumentException(where + ": give 'after' or 'at', not both");
                }
                long at = num(where, "at", s.get("at"));
                if (at < offset) {
                    throw new IllegalArgumentException(where + ": 'at' " + at + " ms is in the past: the step before"
                            + " takes effect at " + offset + " ms");
                }
                after = at - offset; // the same spacing when the scenario is played on the wall clock
                offset = at;
            } else if (!quiet && (i > 1 || s.get("after") != null)) {
                offset += after; // the first step starts the scenario unless it says otherwise
            }
            String link = str(where, "link", s.get("link"), false);
            String call = str(where, "call", s.get("call"), false);
            String line = str(where, "line", s.get("line"), false);
            String state = str(where, "state", s.get("state"), false);
            if (s.get("info") != null && !(s.get("info") instanceof Map)) {
                throw new IllegalArgumentException(where + ": 'info' must be an object, not " + s.get("info"));
            }
            Map<String, Object> info = s.get("info") == null ? Map.of() : (Map<String, Object>) s.get("info");
            Long reply = s.get("reply") == null ? null : num(where, "reply", s.get("reply"));
            long result = s.get("result") == null ? 0 : num(where, "result", s.get("result"));
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
            steps.add(new Step(i, after, offset, call, line, info, state, link, reply, result, quiet));
        }
        return new Scenario(name, str(name, "description", m.get("description"), false), start, List.copyOf(lines),
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
