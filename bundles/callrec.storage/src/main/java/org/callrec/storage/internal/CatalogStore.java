package org.callrec.storage.internal;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.callrec.api.storage.RecordingEntry;
import org.callrec.api.storage.RecordingPage;
import org.callrec.api.storage.RecordingQuery;

/**
 * The catalog database as the writer and retention use it. Every method may fail with an
 * {@link SQLException} while the database is unreachable; callers keep their own copy and retry.
 */
interface CatalogStore {

    /** Inserts or replaces an entry (legal hold is kept as the catalog has it). */
    void upsert(RecordingEntry entry) throws SQLException;

    /**
     * Inserts or replaces several entries (one per id; the last one given wins). The database
     * catalog writes them in one transaction, so a failure leaves all of them for the retry.
     */
    default void upsertAll(List<RecordingEntry> entries) throws SQLException {
        for (RecordingEntry e : entries) {
            upsert(e);
        }
    }

    Optional<RecordingEntry> find(String id) throws SQLException;

    RecordingPage query(RecordingQuery query) throws SQLException;

    /** @return false if no such entry */
    boolean setLegalHold(String id, boolean hold) throws SQLException;

    /** @return false if no such entry */
    boolean remove(String id) throws SQLException;

    /** @return ids of recordings that started before the cutoff, are not on hold and not being written */
    List<String> expired(Instant cutoff, int limit) throws SQLException;
}
