package org.callrec.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.callrec.api.call.CallControlSource;
import org.callrec.api.directory.User;
import org.callrec.api.directory.UserDirectory;
import org.callrec.api.ha.HighAvailability;
import org.callrec.api.health.Diagnosis;
import org.callrec.api.health.Diagnostics;
import org.callrec.api.health.HealthCheck;
import org.callrec.api.health.HealthReport;
import org.callrec.api.health.HealthStatus;
import org.callrec.api.mode.ModeController;
import org.callrec.api.recorder.LiveCall;
import org.callrec.api.recorder.Recorder;
import org.callrec.api.recorder.UserState;
import org.callrec.api.storage.RecordingCatalog;
import org.callrec.api.storage.RecordingEntry;
import org.callrec.api.storage.RecordingPage;
import org.callrec.api.storage.RecordingQuery;
import org.callrec.api.storage.RecordingStatus;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The REST API, {@code /callrec/api/...}, behind the console's login: recordings (search, one
 * entry, audio with range requests), users, real-time activity, health. A service that is not
 * there yet is answered with 503 and its name, never with a failure.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/api/*",
    "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=" + ApiContext.NAME + ")"})
public final class RestApi extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final Pattern RECORDING_ID = Pattern.compile("[0-9A-Za-z][0-9A-Za-z_-]{0,63}");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient RecordingCatalog catalog;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient UserDirectory users;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient Recorder recorder;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private final transient List<HealthCheck> checks = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private final transient List<CallControlSource> sources = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private final transient List<Diagnostics> diagnostics = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient HighAvailability ha;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient ModeController modes;

    @Reference
    private transient AccessAudit audit;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        String[] parts = path.substring(1).split("/", -1);
        switch (parts[0]) {
            case "recordings" -> recordings(req, resp, parts);
            case "users" -> json(resp, 200, users());
            case "activity" -> json(resp, 200, activity());
            case "health" -> json(resp, 200, status());
            default -> error(resp, 404, "no such resource: " + path);
        }
    }

    private void recordings(HttpServletRequest req, HttpServletResponse resp, String[] parts) throws IOException {
        RecordingCatalog c = catalog;
        if (c == null) {
            error(resp, 503, "the recordings catalog (callrec.storage) is not running");
            return;
        }
        if (parts.length == 1 || parts[1].isEmpty()) {
            RecordingQuery q;
            try {
                q = query(req);
            } catch (IllegalArgumentException e) {
                error(resp, 400, e.getMessage());
                return;
            }
            RecordingPage page = c.search(q);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("total", page.total());
            out.put("offset", q.offset());
            out.put("limit", q.limit());
            out.put("recordings", page.entries());
            json(resp, 200, out);
            return;
        }
        String id = parts[1];
        if (!RECORDING_ID.matcher(id).matches()) {
            error(resp, 400, "not a recording id");
            return;
        }
        Optional<RecordingEntry> entry = c.get(id);
        if (entry.isEmpty()) {
            error(resp, 404, "no recording " + id);
            return;
        }
        if (parts.length == 2) {
            json(resp, 200, entry.get());
        } else if (parts.length == 3 && parts[2].equals("audio")) {
            audio(req, resp, c, id);
        } else if (parts.length == 3 && parts[2].equals("waveform.png")) {
            waveform(req, resp, c, entry.get());
        } else {
            error(resp, 404, "no such resource");
        }
    }

    static RecordingQuery query(HttpServletRequest req) {
        return new RecordingQuery(instant(req, "from"), instant(req, "to"), text(req, "extension"), text(req, "user"),
                text(req, "ani"), text(req, "dnis"), text(req, "callId"), status(req.getParameter("status")),
                number(req, "minDurationMs"), (int) Math.max(0, Optional.ofNullable(number(req, "offset")).orElse(0L)),
                (int) Math.min(1000, Math.max(1, Optional.ofNullable(number(req, "limit")).orElse(50L))));
    }

    private static String text(HttpServletRequest req, String name) {
        String v = req.getParameter(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static Instant instant(HttpServletRequest req, String name) {
        String v = text(req, name);
        try {
            return v == null ? null : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": '" + v + "' is not an ISO-8601 instant such as 2026-11-26T08:00:00Z");
        }
    }

    private static Long number(HttpServletRequest req, String name) {
        String v = text(req, name);
        if (v == null) {
            return null;
        }
        if (!v.matches("[0-9]{1,12}")) {
            throw new IllegalArgumentException(name + ": '" + v + "' is not a whole number >= 0");
        }
        return Long.parseLong(v);
    }

    private static RecordingStatus status(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        for (RecordingStatus s : RecordingStatus.values()) {
            if (s.id().equals(v.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("status: '" + v + "' is not one of recording, complete, interrupted, "
                + "decode-pending, failed, skipped");
    }

    /**
     * Serves the WAV with single byte-range support (HTML5 audio seeks with it), reading only the
     * range asked for; every access is audited first.
     */
    private void audio(HttpServletRequest req, HttpServletResponse resp, RecordingCatalog c, String id) throws IOException {
        Optional<SeekableByteChannel> file = c.audioChannel(id);
        if (file.isEmpty()) {
            error(resp, 404, "recording " + id + " has no audio file");
            return;
        }
        boolean download = "1".equals(req.getParameter("download"));
        String range = req.getHeader("Range");
        // A range that starts past 0 is the player seeking inside an access already audited.
        if (range == null || range.startsWith("bytes=0-")) {
            audit.record(ConsolePage.user(req), req.getRemoteAddr(), download ? "download" : "play", id);
        }
        try (SeekableByteChannel audio = file.get()) {
            long size = audio.size();
            long start = 0;
            long end = size - 1L;
            resp.setHeader("Accept-Ranges", "bytes");
            resp.setContentType("audio/wav");
            if (download) {
                resp.setHeader("Content-Disposition", "attachment; filename=\"" + id + ".wav\"");
            }
            if (range != null) {
                Matcher m = RANGE.matcher(range.trim());
                if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
                    resp.setHeader("Content-Range", "bytes */" + size);
                    error(resp, 416, "unsupported range " + range);
                    return;
                }
                if (m.group(1).isEmpty()) {
                    start = Math.max(0, size - Long.parseLong(m.group(2)));
                } else {
                    start = Long.parseLong(m.group(1));
                    if (!m.group(2).isEmpty()) {
                        end = Math.min(end, Long.parseLong(m.group(2)));
                    }
                }
                if (start > end || start >= size) {
                    resp.setHeader("Content-Range", "bytes */" + size);
                    error(resp, 416, "range outside the file");
                    return;
                }
                resp.setStatus(206);
                resp.setHeader("Content-Range", "bytes " + start + "-" + end + "/" + size);
            } else {
                resp.setStatus(200);
            }
            long length = end - start + 1;
            resp.setContentLengthLong(length);
            audio.position(start);
            try (OutputStream out = resp.getOutputStream()) {
                copy(audio, out, length);
            }
        }
    }

    /** Copies exactly {@code length} bytes; a file that shrank underneath (deleted by retention) is an error, not short audio. */
    private static void copy(SeekableByteChannel from, OutputStream to, long length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long left = length;
        while (left > 0) {
            buf.clear().limit((int) Math.min(buf.capacity(), left));
            int n = from.read(buf);
            if (n < 0) {
                throw new IOException("audio file ended " + left + " bytes early");
            }
            to.write(buf.array(), 0, n);
            left -= n;
        }
    }

    /** The recording's waveform with its gaps and DTMF, drawn from the WAV ({@code ?width=} 100-4000, default 800). */
    private static void waveform(HttpServletRequest req, HttpServletResponse resp, RecordingCatalog c, RecordingEntry e)
            throws IOException {
        long width;
        try {
            width = Optional.ofNullable(number(req, "width")).orElse(800L);
        } catch (IllegalArgumentException x) {
            error(resp, 400, x.getMessage());
            return;
        }
        if (width < 100 || width > 4000) {
            error(resp, 400, "width: " + width + " is outside 100-4000 pixels");
            return;
        }
        Optional<InputStream> in = c.audio(e.id());
        if (in.isEmpty()) {
            error(resp, 404, "recording " + e.id() + " has no audio file");
            return;
        }
        byte[] png;
        try (InputStream wav = in.get()) {
            png = Waveform.png(wav, e, (int) width);
        } catch (IOException x) {
            error(resp, 500, "recording " + e.id() + ": waveform cannot be drawn: " + x.getMessage());
            return;
        }
        resp.setStatus(200);
        resp.setContentType("image/png");
        // a decode-pending recording's picture changes once it is decoded
        resp.setHeader("Cache-Control", "private, no-cache");
        resp.setContentLength(png.length);
        try (OutputStream out = resp.getOutputStream()) {
            out.write(png);
        }
    }

    List<Map<String, Object>> users() {
        UserDirectory d = users;
        List<Map<String, Object>> out = new ArrayList<>();
        if (d == null) {
            return out;
        }
        for (User u : d.users()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", u.id());
            m.put("name", u.name());
            m.put("account", u.account());
            m.put("licensed", u.licensed());
            m.put("recordingServer", u.recordingServer());
            m.put("extension", u.extension());
            m.put("additionalExtensions", u.additionalExtensions());
            m.put("endpointIp", u.endpointIp());
            out.add(m);
        }
        return out;
    }

    /** Every user with a state: idle ones too, so the Real-Time Activity view is complete. */
    List<Map<String, Object>> activity() {
        UserDirectory d = users;
        Recorder r = recorder;
        List<LiveCall> live = r == null ? List.of() : r.liveCalls();
        List<Map<String, Object>> out = new ArrayList<>();
        List<LiveCall> unmatched = new ArrayList<>(live);
        Map<String, Diagnosis> byExtension = new LinkedHashMap<>();
        for (Diagnostics d2 : diagnostics) {
            try {
                for (Diagnosis x : d2.current()) {
                    if (x.subject().startsWith("ext ")) {
                        byExtension.putIfAbsent(x.subject().substring(4), x);
                    }
                }
            } catch (RuntimeException e) {
                // a failing source of diagnoses must not take the activity view down
            }
        }
        for (User u : d == null ? List.<User>of() : d.users()) {
            List<LiveCall> mine = live.stream().filter(c -> u.owns(c.extension())).toList();
            unmatched.removeAll(mine);
            if (mine.isEmpty()) {
                out.add(row(u.id(), u.name(), u.extension(), UserState.IDLE, null, null));
            }
            for (LiveCall c : mine) {
                out.add(row(u.id(), u.name(), c.extension(), c.state(), c, byExtension.get(c.extension())));
            }
        }
        for (LiveCall c : unmatched) {
            out.add(row(null, null, c.extension(), c.state(), c, byExtension.get(c.extension())));
        }
        return out;
    }

    /** One activity row; a diagnosis (e.g. "no RTP seen") says why a call that should be recorded has no audio. */
    private static Map<String, Object> row(String id, String name, String ext, UserState state, LiveCall c, Diagnosis why) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("userId", id);
        m.put("name", name);
        m.put("extension", ext);
        m.put("state", state);
        m.put("callId", c == null ? null : c.callId());
        m.put("otherParty", c == null ? null : c.otherParty());
        m.put("since", c == null ? null : c.since());
        m.put("recording", c != null && c.recordingId() != null);
        m.put("recordingId", c == null ? null : c.recordingId());
        m.put("notRecordedReason", c == null ? null : c.notRecordedReason());
        m.put("diagnosis", why == null ? null : why.message());
        m.put("likelyCauses", why == null ? List.of() : why.likelyCauses());
        return m;
    }

    /** What the HA and diagnostics page shows: health checks, HA, call-control links, mode. */
    Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("checks", health());
        HighAvailability h = ha;
        out.put("ha", h == null ? null : h.state());
        List<Map<String, Object>> links = new ArrayList<>();
        for (CallControlSource s : sources) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            m.put("link", s.linkState());
            links.add(m);
        }
        out.put("links", links);
        RecordingCatalog c = catalog;
        Long pending = null;
        if (c != null) {
            try {
                pending = c.search(new RecordingQuery(null, null, null, null, null, null, null,
                        RecordingStatus.DECODE_PENDING, null, 0, 1)).total();
            } catch (RuntimeException e) {
                pending = null; // catalog unreachable: its own health check says so
            }
        }
        out.put("decodePending", pending);
        ModeController m = modes;
        out.put("mode", m == null ? null : m.mode() == null ? null : m.mode().id());
        out.put("lastModeSwitch", m == null ? null : m.lastSwitch().orElse(null));
        return out;
    }

    List<HealthReport> health() {
        List<HealthReport> out = new ArrayList<>();
        for (HealthCheck h : checks) {
            try {
                out.add(h.check());
            } catch (RuntimeException e) {
                out.add(new HealthReport(h.getClass().getSimpleName(), HealthStatus.CRITICAL,
                        "health check failed: " + e, List.of(), Instant.now()));
            }
        }
        out.sort((a, b) -> a.check().compareTo(b.check()));
        return out;
    }

    static void json(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        byte[] b = Json.of(body).getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(b.length);
        resp.getOutputStream().write(b);
    }

    static void error(HttpServletResponse resp, int status, String message) throws IOException {
        json(resp, status, Map.of("error", message));
    }
}
