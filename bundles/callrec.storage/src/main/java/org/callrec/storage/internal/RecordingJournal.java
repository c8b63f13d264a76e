package org.callrec.storage.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.audio.GapMarker;
import org.callrec.api.call.CallDirection;
import org.callrec.api.mode.IntegrationMode;
import org.callrec.api.storage.RecordingEntry;
import org.callrec.api.storage.RecordingMetadata;
import org.callrec.api.storage.RecordingStatus;

/**
 * The local, crash-safe copy of catalog entries not yet confirmed by the catalog database: one
 * properties file per recording, replaced atomically. It is what lets audio be recorded while the
 * database is away, and what recovery reads after a crash to find the recordings left open.
 */
final class RecordingJournal {

    private final Path dir;

    RecordingJournal(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** Stores the entry's current state (write to a temporary file, sync, rename over the old one). */
    synchronized void save(RecordingEntry e) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(e.id() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            toProperties(e).store(out, "callrec catalog entry awaiting the catalog database");
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, file(e.id()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException x) {
            Files.move(tmp, file(e.id()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    RecordingEntry load(String id) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file(id))) {
            p.load(in);
        }
        return fromProperties(p);
    }

    synchronized void remove(String id) throws IOException {
        Files.deleteIfExists(file(id));
    }

    /** @return ids of every entry in the journal */
    List<String> ids() throws IOException {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return ids;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.properties")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                String id = name.substring(0, name.length() - ".properties".length());
                if (RecordingPaths.isValidId(id)) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    private Path file(String id) {
        if (!RecordingPaths.isValidId(id)) {
            throw new IllegalArgumentException("not a recording id: '" + id + "'");
        }
        return dir.resolve(id + ".properties");
    }

    static Properties toProperties(RecordingEntry e) {
        Properties p = new Properties();
        RecordingMetadata m = e.metadata();
        p.setProperty("id", e.id());
        p.setProperty("callId", m.callId());
        list(p, "related", m.relatedCallIds());
        p.setProperty("extension", m.extension());
        opt(p, "userId", m.userId());
        opt(p, "ani", m.ani());
        opt(p, "dnis", m.dnis());
        p.setProperty("direction", m.direction().name());
        p.setProperty("start", m.start().toString());
        p.setProperty("channels", Integer.toString(m.channels()));
        p.setProperty("mode", m.mode().id());
        opt(p, "recordingServer", m.recordingServer());
        opt(p, "haNode", m.haNode());
        opt(p, "end", e.end() == null ? null : e.end().toString());
        p.setProperty("durationMillis", Long.toString(e.durationMillis()));
        p.setProperty("status", e.status().name());
        opt(p, "statusReason", e.statusReason());
        list(p, "codec", e.codecs());
        e.counters().forEach((k, v) -> p.setProperty("counter." + k, Long.toString(v)));
        List<String> gaps = new ArrayList<>();
        for (GapMarker g : e.gaps()) {
            gaps.add(g.channel() + "," + g.startSample() + "," + g.samples() + "," + g.reason().name());
        }
        list(p, "gap", gaps);
        List<String> dtmf = new ArrayList<>();
        for (DtmfEvent d : e.dtmf()) {
            dtmf.add(d.channel() + "," + d.digit() + "," + d.startSample() + "," + d.durationSamples() + "," + d.volume());
        }
        list(p, "dtmf", dtmf);
        p.setProperty("legalHold", Boolean.toString(e.legalHold()));
        return p;
    }

    static RecordingEntry fromProperties(Properties p) {
        RecordingMetadata m = new RecordingMetadata(p.getProperty("callId"), list(p, "related"),
                p.getProperty("extension"), p.getProperty("userId"), p.getProperty("ani"), p.getProperty("dnis"),
                CallDirection.valueOf(p.getProperty("direction", "UNKNOWN")), Instant.parse(p.getProperty("start")),
                Integer.parseInt(p.getProperty("channels")), IntegrationMode.fromId(p.getProperty("mode")),
                p.getProperty("recordingServer"), p.getProperty("haNode"));
        Map<String, Long> counters = new HashMap<>();
        for (String k : p.stringPropertyNames()) {
            if (k.startsWith("counter.")) {
                counters.put(k.substring("counter.".length()), Long.parseLong(p.getProperty(k)));
            }
        }
        List<GapMarker> gaps = new ArrayList<>();
        for (String g : list(p, "gap")) {
            String[] f = g.split(",");
            gaps.add(new GapMarker(Integer.parseInt(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                    GapMarker.Reason.valueOf(f[3])));
        }
        List<DtmfEvent> dtmf = new ArrayList<>();
        for (String d : list(p, "dtmf")) {
            String[] f = d.split(",");
            dtmf.add(new DtmfEvent(Integer.parseInt(f[0]), f[1].charAt(0), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Integer.parseInt(f[4])));
        }
        String end = p.getProperty("end");
        return new RecordingEntry(p.getProperty("id"), m, end == null ? null : Instant.parse(end),
                Long.parseLong(p.getProperty("durationMillis", "0")), RecordingStatus.valueOf(p.getProperty("status")),
                p.getProperty("statusReason"), list(p, "codec"), counters, gaps, dtmf,
                Boolean.parseBoolean(p.getProperty("legalHold")));
    }

    private static void opt(Properties p, String key, String value) {
        if (value != null) {
            p.setProperty(key, value);
        }
    }

    private static void list(Properties p, String key, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            p.setProperty(key + "." + i, values.get(i));
        }
    }

    private static List<String> list(Properties p, String key) {
        List<String> out = new ArrayList<>();
        for (int i = 0; p.getProperty(key + "." + i) != null; i++) {
            out.add(p.getProperty(key + "." + i));
        }
        return out;
    }
}
