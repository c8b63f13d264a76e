package org.callrec.storage.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.audio.GapMarker;
import org.callrec.api.call.CallDirection;
import org.callrec.api.mode.IntegrationMode;
import org.callrec.api.storage.RecordingEntry;
import org.callrec.api.storage.RecordingMetadata;
import org.callrec.api.storage.RecordingPage;
import org.callrec.api.storage.RecordingQuery;
import org.callrec.api.storage.RecordingStatus;

/**
 * The catalog in a SQL database (H2 or PostgreSQL) over one connection, opened on demand: when
 * the database goes away the connection is dropped and the next call reconnects, so an outage
 * costs failed calls, never a stuck component. The schema is migrated on each (re)connect.
 */
final class JdbcCatalog implements CatalogStore, AutoCloseable {

    private static final String COLUMNS = "id, call_id, extension, user_id, ani, dnis, direction, start_ms, end_ms,"
            + " duration_ms, channels, rec_mode, recording_server, ha_node, status, status_reason, codecs, legal_hold";

    /** More running recordings than one server has: beyond this the memory of what was written starts over. */
    private static final int MAX_REMEMBERED = 100_000;
    private static final int MAX_STATEMENTS = 64;

    private final DataSource dataSource;
    private Connection connection;
    private boolean closed;
    /**
     * Statements kept prepared while the connection lives: parsing the same SQL again for every
     * entry was most of the writer's catalog cost (H2 caches only a few parsed statements).
     */
    private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(16, 0.75f, true);
    /** What was last committed, over this connection, for each running recording. */
    private final Map<String, RecordingEntry> written = new HashMap<>();

    JdbcCatalog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private synchronized <T> T inTransaction(Work<T> work) throws SQLException {
        Connection c = connection();
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is dropped below when the database is gone
            }
            if (e instanceof SQLException && !isValid(c)) {
                drop();
            }
            throw e;
        }
    }

    /** A statement of this connection, prepared once; the caller closes only its result sets. */
    private PreparedStatement statement(Connection c, String sql) throws SQLException {
        PreparedStatement p = statements.get(sql);
        if (p == null) {
            if (statements.size() >= MAX_STATEMENTS) {
                var eldest = statements.entrySet().iterator();
                closeQuietly(eldest.next().getValue());
                eldest.remove();
            }
            p = c.prepareStatement(sql);
            statements.put(sql, p);
        }
        return p;
    }

    private static void closeQuietly(PreparedStatement p) {
        try {
            p.close();
        } catch (SQLException ignored) {
            // its connection is going away
        }
    }

    private static boolean isValid(Connection c) {
        try {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private Connection connection() throws SQLException {
        if (connection != null) {
            return connection;
        }
        if (closed) {
            throw new SQLException("the recordings catalog is closed");
        }
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(true);
            Migrations.migrate(c);
            c.setAutoCommit(false);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        connection = c;
        return c;
    }

    private void drop() {
        statements.values().forEach(JdbcCatalog::closeQuietly);
        statements.clear();
        written.clear();
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }

    /** Connects (and migrates) now, so a wrong configuration shows at start. */
    void open() throws SQLException {
        inTransaction(c -> null);
    }

    @Override
    public synchronized void close() {
        closed = true;
        drop();
    }

    private static final String UPDATE_ROW = "UPDATE recording SET call_id = ?, extension = ?, user_id = ?, ani = ?,"
            + " dnis = ?, direction = ?, start_ms = ?, end_ms = ?, duration_ms = ?, channels = ?, rec_mode = ?,"
            + " recording_server = ?, ha_node = ?, status = ?, status_reason = ?, codecs = ?, updated_ms = ? WHERE id = ?";
    private static final String INSERT_ROW = "INSERT INTO recording (call_id, extension, user_id, ani, dnis, direction,"
            + " start_ms, end_ms, duration_ms, channels, rec_mode, recording_server, ha_node, status, status_reason,"
            + " codecs, updated_ms, id, legal_hold) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** The child tables of a recording row, each rewritten (delete, insert) only when its part of the entry changed. */
    private enum Child {
        RELATED("recording_related_call", "INSERT INTO recording_related_call (recording_id, call_id) VALUES (?, ?)"),
        GAPS("recording_gap", "INSERT INTO recording_gap (recording_id, seq, channel, start_sample, samples, reason)"
                + " VALUES (?, ?, ?, ?, ?, ?)"),
        DTMF("recording_dtmf", "INSERT INTO recording_dtmf (recording_id, seq, channel, digit, start_sample,"
                + " duration_samples, volume) VALUES (?, ?, ?, ?, ?, ?, ?)"),
        COUNTERS("recording_counter",
                "INSERT INTO recording_counter (recording_id, counter_name, counter_value) VALUES (?, ?, ?)");

        final String delete;
        final String insert;

        Child(String table, String insert) {
            this.delete = "DELETE FROM " + table + " WHERE recording_id = ?";
            this.insert = insert;
        }

        Object of(RecordingEntry e) {
            return switch (this) {
                case RELATED -> e.metadata().relatedCallIds();
                case GAPS -> e.gaps();
                case DTMF -> e.dtmf();
                case COUNTERS -> e.counters();
            };
        }

        /** @return rows added to the batch */
        int bind(PreparedStatement p, RecordingEntry e) throws SQLException {
            int rows = 0;
            switch (this) {
                case RELATED -> {
                    for (String related : e.metadata().relatedCallIds().stream().distinct().toList()) {
                        p.setString(1, e.id());
                        p.setString(2, related);
                        p.addBatch();
                        rows++;
                    }
                }
                case GAPS -> {
                    int seq = 0;
                    for (GapMarker g : e.gaps()) {
                        p.setString(1, e.id());
                        p.setInt(2, seq++);
                        p.setInt(3, g.channel());
                        p.setLong(4, g.startSample());
                        p.setLong(5, g.samples());
                        p.setString(6, g.reason().name());
                        p.addBatch();
                        rows++;
                    }
                }
                case DTMF -> {
                    int seq = 0;
                    for (DtmfEvent d : e.dtmf()) {
                        p.setString(1, e.id());
                        p.setInt(2, seq++);
                        p.setInt(3, d.channel());
                        p.setString(4, String.valueOf(d.digit()));
                        p.setLong(5, d.startSample());
                        p.setLong(6, d.durationSamples());
                        p.setInt(7, d.volume());
                        p.addBatch();
                        rows++;
                    }
                }
                case COUNTERS -> {
                    for (Map.Entry<String, Long> k : e.counters().entrySet()) {
                        p.setString(1, e.id());
                        p.setString(2, k.getKey());
                        p.setLong(3, k.getValue());
                        p.addBatch();
                        rows++;
                    }
                }
            }
            return rows;
        }
    }

    @Override
    public void upsert(RecordingEntry e) throws SQLException {
        upsertAll(List.of(e));
    }

    /**
     * Writes the entries in one transaction with batched statements. A running recording this
     * connection wrote before gets only what changed since (usually its duration): the writer
     * pushes the progress of every open recording, 1,000 and more at a time.
     */
    @Override
    public synchronized void upsertAll(List<RecordingEntry> entries) throws SQLException {
        Map<String, RecordingEntry> byId = new LinkedHashMap<>();
        for (RecordingEntry e : entries) {
            byId.put(e.id(), e); // the last state of an id wins
        }
        if (byId.isEmpty()) {
            return;
        }
        try {
            inTransaction(c -> {
                write(c, new ArrayList<>(byId.values()));
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            written.clear(); // not sure any more what the table holds: the retry writes whole entries
            // a kept statement may hold half a batch from the failed write: the retry must not run it
            for (PreparedStatement p : statements.values()) {
                try {
                    p.clearBatch();
                } catch (SQLException ignored) {
                    // closed with its connection: nothing left in it
                }
            }
            throw e;
        }
        // only what is committed is known to be written
        if (written.size() > MAX_REMEMBERED) {
            written.clear();
        }
        for (RecordingEntry e : byId.values()) {
            if (e.status() == RecordingStatus.RECORDING) {
                written.put(e.id(), e);
            } else {
                written.remove(e.id());
            }
        }
    }

    private void write(Connection c, List<RecordingEntry> entries) throws SQLException {
        long now = System.currentTimeMillis();
        List<RecordingEntry> rows = new ArrayList<>();
        Set<String> whole = new HashSet<>(); // new to this connection (or gone from the table): every child table
        for (RecordingEntry e : entries) {
            RecordingEntry before = written.get(e.id());
            if (before == null) {
                whole.add(e.id());
                rows.add(e);
            } else if (!sameRow(before, e)) {
                rows.add(e);
            }
        }
        if (!rows.isEmpty()) {
            PreparedStatement u = statement(c, UPDATE_ROW);
            for (RecordingEntry e : rows) {
                int i = bindEntry(u, 1, e, e.metadata());
                u.setLong(i++, now);
                u.setString(i, e.id());
                u.addBatch();
            }
            int[] updated = u.executeBatch();
            PreparedStatement ins = null;
            for (int k = 0; k < rows.size(); k++) {
                if (updated[k] == 0) {
                    RecordingEntry e = rows.get(k);
                    ins = ins == null ? statement(c, INSERT_ROW) : ins;
                    int i = bindEntry(ins, 1, e, e.metadata());
                    ins.setLong(i++, now);
                    ins.setString(i++, e.id());
                    ins.setBoolean(i, e.legalHold());
                    ins.addBatch();
                    whole.add(e.id());
                }
            }
            if (ins != null) {
                ins.executeBatch();
            }
        }
        for (Child child : Child.values()) {
            List<RecordingEntry> changed = new ArrayList<>();
            for (RecordingEntry e : entries) {
                RecordingEntry before = written.get(e.id());
                if (whole.contains(e.id()) || !child.of(before).equals(child.of(e))) {
                    changed.add(e);
                }
            }
            if (changed.isEmpty()) {
                continue;
            }
            PreparedStatement d = statement(c, child.delete);
            for (RecordingEntry e : changed) {
                d.setString(1, e.id());
                d.addBatch();
            }
            d.executeBatch();
            PreparedStatement p = statement(c, child.insert);
            int added = 0;
            for (RecordingEntry e : changed) {
                added += child.bind(p, e);
            }
            if (added > 0) {
                p.executeBatch();
            }
        }
    }

    /** Whether the recording table's row of two states of one entry is the same (legal hold is the catalog's). */
    private static boolean sameRow(RecordingEntry a, RecordingEntry b) {
        return a.metadata().equals(b.metadata()) && java.util.Objects.equals(a.end(), b.end())
                && a.durationMillis() == b.durationMillis() && a.status() == b.status()
                && java.util.Objects.equals(a.statusReason(), b.statusReason()) && a.codecs().equals(b.codecs());
    }

    private static int bindEntry(PreparedStatement p, int i, RecordingEntry e, RecordingMetadata m) throws SQLException {
        p.setString(i++, m.callId());
        p.setString(i++, m.extension());
        p.setString(i++, m.userId());
        p.setString(i++, m.ani());
        p.setString(i++, m.dnis());
        p.setString(i++, m.direction().name());
        p.setLong(i++, m.start().toEpochMilli());
        if (e.end() == null) {
            p.setNull(i++, Types.BIGINT);
        } else {
            p.setLong(i++, e.end().toEpochMilli());
        }
        p.setLong(i++, e.durationMillis());
        p.setInt(i++, m.channels());
        p.setString(i++, m.mode().id());
        p.setString(i++, m.recordingServer());
        p.setString(i++, m.haNode());
        p.setString(i++, e.status().id());
        p.setString(i++, e.statusReason());
        p.setString(i++, String.join(",", e.codecs()));
        return i;
    }

    @Override
    public Optional<RecordingEntry> find(String id) throws SQLException {
        return inTransaction(c -> {
            PreparedStatement p = statement(c, "SELECT " + COLUMNS + " FROM recording WHERE id = ?");
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(read(c, rs)) : Optional.<RecordingEntry>empty();
            }
        });
    }

    @Override
    public RecordingPage query(RecordingQuery q) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.from() != null) {
            where.append(" AND start_ms >= ?");
            args.add(q.from().toEpochMilli());
        }
        if (q.to() != null) {
            where.append(" AND start_ms < ?");
            args.add(q.to().toEpochMilli());
        }
        eq(where, args, "extension", q.extension());
        eq(where, args, "user_id", q.userId());
        eq(where, args, "ani", q.ani());
        eq(where, args, "dnis", q.dnis());
        if (q.callId() != null) {
            where.append(" AND (call_id = ? OR id IN (SELECT recording_id FROM recording_related_call WHERE call_id = ?))");
            args.add(q.callId());
            args.add(q.callId());
        }
        if (q.status() != null) {
            eq(where, args, "status", q.status().id());
        }
        if (q.minDurationMillis() != null) {
            where.append(" AND duration_ms >= ?");
            args.add(q.minDurationMillis());
        }
        return inTransaction(c -> {
            long total;
            PreparedStatement count = statement(c, "SELECT COUNT(*) FROM recording" + where);
            bind(count, args);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
            List<RecordingEntry> rows = new ArrayList<>();
            PreparedStatement page = statement(c, "SELECT " + COLUMNS + " FROM recording" + where
                    + " ORDER BY start_ms DESC, id DESC LIMIT ? OFFSET ?");
            List<Object> all = new ArrayList<>(args);
            all.add(q.limit());
            all.add(q.offset());
            bind(page, all);
            try (ResultSet rs = page.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(c, rs));
                }
            }
            return new RecordingPage(rows, total);
        });
    }

    private static void eq(StringBuilder where, List<Object> args, String column, String value) {
        if (value != null) {
            where.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static void bind(PreparedStatement p, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Long l) {
                p.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                p.setInt(i + 1, n);
            } else {
                p.setString(i + 1, (String) a);
            }
        }
    }

    private RecordingEntry read(Connection c, ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        List<String> related = strings(c, "SELECT call_id FROM recording_related_call WHERE recording_id = ?"
                + " ORDER BY call_id", id);
        RecordingMetadata m = new RecordingMetadata(rs.getString("call_id"), related, rs.getString("extension"),
                rs.getString("user_id"), rs.getString("ani"), rs.getString("dnis"),
                CallDirection.valueOf(rs.getString("direction")), Instant.ofEpochMilli(rs.getLong("start_ms")),
                rs.getInt("channels"), IntegrationMode.fromId(rs.getString("rec_mode")),
                rs.getString("recording_server"), rs.getString("ha_node"));
        long end = rs.getLong("end_ms");
        Instant endAt = rs.wasNull() ? null : Instant.ofEpochMilli(end);
        String codecs = rs.getString("codecs");
        List<GapMarker> gaps = new ArrayList<>();
        PreparedStatement gapRows = statement(c, "SELECT channel, start_sample, samples, reason FROM recording_gap"
                + " WHERE recording_id = ? ORDER BY seq");
        gapRows.setString(1, id);
        try (ResultSet g = gapRows.executeQuery()) {
            while (g.next()) {
                gaps.add(new GapMarker(g.getInt(1), g.getLong(2), g.getLong(3), GapMarker.Reason.valueOf(g.getString(4))));
            }
        }
        List<DtmfEvent> dtmf = new ArrayList<>();
        PreparedStatement dtmfRows = statement(c, "SELECT channel, digit, start_sample, duration_samples, volume"
                + " FROM recording_dtmf WHERE recording_id = ? ORDER BY seq");
        dtmfRows.setString(1, id);
        try (ResultSet d = dtmfRows.executeQuery()) {
            while (d.next()) {
                dtmf.add(new DtmfEvent(d.getInt(1), d.getString(2).charAt(0), d.getLong(3), d.getLong(4), d.getInt(5)));
            }
        }
        Map<String, Long> counters = new HashMap<>();
        PreparedStatement counterRows = statement(c,
                "SELECT counter_name, counter_value FROM recording_counter WHERE recording_id = ?");
        counterRows.setString(1, id);
        try (ResultSet k = counterRows.executeQuery()) {
            while (k.next()) {
                counters.put(k.getString(1), k.getLong(2));
            }
        }
        return new RecordingEntry(id, m, endAt, rs.getLong("duration_ms"), status(rs.getString("status")),
                rs.getString("status_reason"), codecs == null || codecs.isEmpty() ? List.of()
                        : Arrays.asList(codecs.split(",")),
                counters, gaps, dtmf, rs.getBoolean("legal_hold"));
    }

    private static RecordingStatus status(String id) {
        for (RecordingStatus s : RecordingStatus.values()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        throw new IllegalStateException("unknown recording status in the catalog: '" + id + "'");
    }

    private List<String> strings(Connection c, String sql, String arg) throws SQLException {
        List<String> out = new ArrayList<>();
        PreparedStatement p = statement(c, sql);
        p.setString(1, arg);
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Override
    public boolean setLegalHold(String id, boolean hold) throws SQLException {
        return inTransaction(c -> {
            PreparedStatement p = statement(c, "UPDATE recording SET legal_hold = ? WHERE id = ?");
            p.setBoolean(1, hold);
            p.setString(2, id);
            return p.executeUpdate() > 0;
        });
    }

    @Override
    public synchronized boolean remove(String id) throws SQLException {
        written.remove(id);
        return inTransaction(c -> {
            PreparedStatement p = statement(c, "DELETE FROM recording WHERE id = ?");
            p.setString(1, id);
            return p.executeUpdate() > 0;
        });
    }

    @Override
    public List<String> expired(Instant cutoff, int limit) throws SQLException {
        return inTransaction(c -> {
            List<String> ids = new ArrayList<>();
            PreparedStatement p = statement(c, "SELECT id FROM recording WHERE start_ms < ?"
                    + " AND legal_hold = FALSE AND status <> ? ORDER BY start_ms LIMIT ?");
            p.setLong(1, cutoff.toEpochMilli());
            p.setString(2, RecordingStatus.RECORDING.id());
            p.setInt(3, limit);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        });
    }
}
