package org.callrec.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.jdbc.DataSourceFactory;

/**
 * The catalog's behaviour, run against each database (H2, PostgreSQL) through the driver's own
 * DataSourceFactory, as the OSGi runtime uses it.
 */
abstract class CatalogContract {

    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    @TempDir
    Path tmp;

    DataSource dataSource;
    JdbcCatalog catalog;

    /** @return the driver's factory and the connection properties of a database the test may empty */
    abstract DataSourceFactory factory();

    abstract Properties connection();

    @BeforeEach
    void connect() throws Exception {
        dataSource = factory().createDataSource(connection());
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String t : new String[] {"recording_related_call", "recording_gap", "recording_dtmf",
                    "recording_counter", "recording", "callrec_schema"}) {
                s.execute("DROP TABLE IF EXISTS " + t + " CASCADE");
            }
        }
        catalog = new JdbcCatalog(dataSource);
        catalog.open();
    }

    @AfterEach
    void disconnect() {
        if (catalog != null) {
            catalog.close();
        }
    }

    static RecordingMetadata meta(String callId, String ext, String user, String ani, String dnis, Instant start) {
        return new RecordingMetadata(callId, List.of(callId + "-held", callId + "-xfer"), ext, user, ani, dnis,
                CallDirection.INBOUND, start, 2, IntegrationMode.SHORETEL_TAPI, "rec-1", "node-a");
    }

    static RecordingEntry entry(String callId, String ext, String user, String ani, String dnis, Instant start,
            long durationMillis, RecordingStatus status) {
        return new RecordingEntry(RecordingPaths.newId(start), meta(callId, ext, user, ani, dnis, start),
                start.plusMillis(durationMillis), durationMillis, status, status == RecordingStatus.COMPLETE ? null
                        : "because", List.of("PCMU", "G729"), Map.of("packets.lost", 3L, "concealed.ms", 60L),
                List.of(new GapMarker(0, 8000, 4000, GapMarker.Reason.HOLD),
                        new GapMarker(1, 16000, 160, GapMarker.Reason.LOSS)),
                List.of(new DtmfEvent(0, '5', 2400, 800, 10), new DtmfEvent(0, '#', 9600, 640, 12)), false);
    }

    static RecordingQuery all(int offset, int limit) {
        return new RecordingQuery(null, null, null, null, null, null, null, null, null, offset, limit);
    }

    @Test
    void schemaIsVersionedAndMigratingAgainChangesNothing() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            assertEquals(Migrations.STEPS.size(), Migrations.current(c));
            assertEquals(Migrations.STEPS.size(), Migrations.migrate(c));
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM callrec_schema")) {
                rs.next();
                assertEquals(Migrations.STEPS.size(), rs.getInt(1));
            }
        }
    }

    @Test
    void everyFieldRoundTrips() throws Exception {
        RecordingEntry e = entry("c1", "2001", "alice", "+15551230001", "8005550100", T0, 65_432,
                RecordingStatus.INTERRUPTED);
        catalog.upsert(e);
        assertEquals(e, catalog.find(e.id()).orElseThrow());
        // an update replaces everything but legal hold
        assertTrue(catalog.setLegalHold(e.id(), true));
        RecordingEntry later = new RecordingEntry(e.id(), e.metadata(), e.end(), 70_000, RecordingStatus.COMPLETE,
                null, List.of("PCMA"), Map.of("packets.lost", 9L), List.of(), List.of(), false);
        catalog.upsert(later);
        RecordingEntry read = catalog.find(e.id()).orElseThrow();
        assertEquals(70_000, read.durationMillis());
        assertEquals(RecordingStatus.COMPLETE, read.status());
        assertEquals(List.of("PCMA"), read.codecs());
        assertEquals(Map.of("packets.lost", 9L), read.counters());
        assertTrue(read.gaps().isEmpty());
        assertTrue(read.legalHold());
        assertFalse(catalog.find(RecordingPaths.newId(T0)).isPresent());
    }

    @Test
    void progressOfRunningRecordingsIsWrittenInBatchesAndOnlyWhatChanged() throws Exception {
        List<RecordingEntry> running = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            running.add(new RecordingEntry(RecordingPaths.newId(T0), meta("run-" + i, "20" + i, "u", null, null, T0),
                    null, 0, RecordingStatus.RECORDING, null, List.of(), Map.of(), List.of(), List.of(), false));
        }
        catalog.upsertAll(running);
        // progress: every duration grows, some gain a gap, a counter, a codec; one closes
        List<RecordingEntry> later = new java.util.ArrayList<>();
        for (int i = 0; i < running.size(); i++) {
            RecordingEntry e = running.get(i);
            later.add(new RecordingEntry(e.id(), e.metadata(), i == 7 ? T0.plusSeconds(5) : null, 5000 + i,
                    i == 7 ? RecordingStatus.COMPLETE : RecordingStatus.RECORDING, null,
                    i % 3 == 0 ? List.of("PCMU") : List.of(), i % 4 == 0 ? Map.of("packets.lost", (long) i) : Map.of(),
                    i % 5 == 0 ? List.of(new GapMarker(1, 800, 160, GapMarker.Reason.LOSS)) : List.of(),
                    i % 6 == 0 ? List.of(new DtmfEvent(0, '1', 400, 800, 10)) : List.of(), false));
        }
        catalog.upsertAll(later);
        catalog.upsertAll(later); // nothing changed: nothing to write, nothing lost
        for (RecordingEntry e : later) {
            assertEquals(e, catalog.find(e.id()).orElseThrow(), e.metadata().callId());
        }
        // a row gone behind this connection's back (deleted by another) is written whole again
        RecordingEntry gone = later.get(3);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate("DELETE FROM recording WHERE id = '" + gone.id() + "'"));
        }
        RecordingEntry again = new RecordingEntry(gone.id(), gone.metadata(), null, 9000, RecordingStatus.RECORDING,
                null, gone.codecs(), gone.counters(), gone.gaps(), gone.dtmf(), false);
        catalog.upsertAll(List.of(again, later.get(4)));
        assertEquals(again, catalog.find(gone.id()).orElseThrow());
        assertEquals(30, catalog.query(all(0, 50)).total());
    }

    @Test
    void aRunningRecordingHasNoEnd() throws Exception {
        RecordingEntry e = new RecordingEntry(RecordingPaths.newId(T0), meta("c9", "2009", null, null, null, T0), null,
                0, RecordingStatus.RECORDING, null, null, null, null, null, false);
        catalog.upsert(e);
        assertEquals(e, catalog.find(e.id()).orElseThrow());
    }

    @Test
    void searchesByEachCriterionWithPaging() throws Exception {
        RecordingEntry a = entry("call-a", "2001", "alice", "111", "900", T0, 10_000, RecordingStatus.COMPLETE);
        RecordingEntry b = entry("call-b", "2002", "bob", "222", "901", T0.plusSeconds(3600), 40_000,
                RecordingStatus.COMPLETE);
        RecordingEntry c = entry("call-c", "2001", "alice", "333", null, T0.plusSeconds(7200), 90_000,
                RecordingStatus.FAILED);
        for (RecordingEntry e : List.of(a, b, c)) {
            catalog.upsert(e);
        }
        assertEquals(List.of(c, b, a), catalog.query(all(0, 10)).entries(), "newest first");
        assertEquals(List.of(b, a), ids(new RecordingQuery(T0, T0.plusSeconds(7200), null, null, null, null, null,
                null, null, 0, 10)), "time range: from inclusive, to exclusive");
        assertEquals(List.of(c, a), ids(new RecordingQuery(null, null, "2001", null, null, null, null, null, null, 0, 10)));
        assertEquals(List.of(b), ids(new RecordingQuery(null, null, null, "bob", null, null, null, null, null, 0, 10)));
        assertEquals(List.of(c), ids(new RecordingQuery(null, null, null, null, "333", null, null, null, null, 0, 10)));
        assertEquals(List.of(b), ids(new RecordingQuery(null, null, null, null, null, "901", null, null, null, 0, 10)));
        assertEquals(List.of(a), ids(new RecordingQuery(null, null, null, null, null, null, "call-a", null, null, 0, 10)));
        assertEquals(List.of(b), ids(new RecordingQuery(null, null, null, null, null, null, "call-b-xfer", null, null,
                0, 10)), "a related call id finds the segment");
        assertEquals(List.of(c), ids(new RecordingQuery(null, null, null, null, null, null, null,
                RecordingStatus.FAILED, null, 0, 10)));
        assertEquals(List.of(c, b), ids(new RecordingQuery(null, null, null, null, null, null, null, null, 40_000L,
                0, 10)), "min duration inclusive");
        assertEquals(List.of(), ids(new RecordingQuery(null, null, "2001", "bob", null, null, null, null, null, 0, 10)),
                "criteria combine");

        RecordingPage page = catalog.query(all(1, 1));
        assertEquals(3, page.total());
        assertEquals(List.of(b), page.entries());
        assertEquals(List.of(a), catalog.query(all(2, 5)).entries());
        assertEquals(List.of(), catalog.query(all(3, 5)).entries());
    }

    @Test
    void manyRowsPageCompletely() throws Exception {
        for (int i = 0; i < 120; i++) {
            catalog.upsert(entry("bulk-" + i, "3000", "u", null, null, T0.plusSeconds(i), 1000, RecordingStatus.COMPLETE));
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int off = 0; off < 120; off += 50) {
            RecordingPage p = catalog.query(all(off, 50));
            assertEquals(120, p.total());
            p.entries().forEach(e -> seen.add(e.id()));
        }
        assertEquals(120, seen.size());
    }

    @Test
    void retentionDeletesOldRecordingsExceptLegalHoldAndRunningOnes() throws Exception {
        RecordingPaths paths = new RecordingPaths(tmp.resolve("recordings"));
        Instant now = Instant.parse("2026-11-26T00:00:00Z");
        RecordingEntry old = entry("old", "1", "u", null, null, now.minusSeconds(40L * 86400), 1000,
                RecordingStatus.COMPLETE);
        RecordingEntry held = entry("held", "1", "u", null, null, now.minusSeconds(50L * 86400), 1000,
                RecordingStatus.COMPLETE);
        RecordingEntry running = new RecordingEntry(RecordingPaths.newId(now.minusSeconds(31L * 86400)),
                meta("running", "1", "u", null, null, now.minusSeconds(31L * 86400)), null, 0,
                RecordingStatus.RECORDING, null, null, null, null, null, false);
        RecordingEntry young = entry("young", "1", "u", null, null, now.minusSeconds(29L * 86400), 1000,
                RecordingStatus.COMPLETE);
        for (RecordingEntry e : List.of(old, held, running, young)) {
            catalog.upsert(e);
            Files.createDirectories(paths.wav(e.id()).getParent());
            Files.write(paths.wav(e.id()), new byte[44]);
        }
        Files.write(paths.wav(old.id()).resolveSibling(old.id() + ".ch0.g729.raw"), new byte[10]);
        catalog.setLegalHold(held.id(), true);

        assertEquals(1, new Retention(catalog, paths, 30).sweep(now));
        assertFalse(catalog.find(old.id()).isPresent());
        assertFalse(Files.exists(paths.wav(old.id())));
        assertFalse(Files.exists(paths.wav(old.id()).resolveSibling(old.id() + ".ch0.g729.raw")));
        for (RecordingEntry kept : List.of(held, running, young)) {
            assertTrue(catalog.find(kept.id()).isPresent(), kept.metadata().callId());
            assertTrue(Files.exists(paths.wav(kept.id())), kept.metadata().callId());
        }
        assertEquals(0, new Retention(catalog, paths, 0).sweep(now.plusSeconds(1000L * 86400)), "0 = keep forever");
        catalog.setLegalHold(held.id(), false);
        assertEquals(1, new Retention(catalog, paths, 30).sweep(now));
        assertFalse(catalog.find(held.id()).isPresent());
    }

    private List<RecordingEntry> ids(RecordingQuery q) throws Exception {
        return catalog.query(q).entries();
    }
}
