package org.callrec.storage.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.callrec.api.storage.RecordingEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes recordings older than the retention period, except those on legal hold, and logs each one. */
final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    private static final int BATCH = 500;

    private final CatalogStore catalog;
    private final RecordingPaths paths;
    private final int days;

    Retention(CatalogStore catalog, RecordingPaths paths, int days) {
        if (days < 0) {
            throw new IllegalArgumentException("retention days must be >= 0 (0 = keep forever): " + days);
        }
        this.catalog = catalog;
        this.paths = paths;
        this.days = days;
    }

    /**
     * One sweep.
     *
     * @param now the time to count the days back from
     * @return how many recordings were deleted
     */
    int sweep(Instant now) throws SQLException {
        if (days == 0) {
            return 0;
        }
        Instant cutoff = now.minus(Duration.ofDays(days));
        int deleted = 0;
        List<String> ids;
        do {
            ids = catalog.expired(cutoff, BATCH);
            for (String id : ids) {
                Optional<RecordingEntry> e = catalog.find(id);
                List<Path> files;
                try {
                    files = paths.delete(id);
                } catch (IOException x) {
                    LOG.error("Retention: recording {} cannot be deleted ({}); kept in the catalog, retried next sweep",
                            id, x.getMessage());
                    return deleted;
                }
                catalog.remove(id);
                deleted++;
                LOG.info("Retention deleted recording {} (call {}, ext {}, started {}; older than {} days): {}", id,
                        e.map(r -> r.metadata().callId()).orElse("?"), e.map(r -> r.metadata().extension()).orElse("?"),
                        e.map(r -> r.metadata().start().toString()).orElse("?"), days, files);
            }
        } while (ids.size() == BATCH);
        if (deleted > 0) {
            LOG.info("Retention deleted {} recording(s) that started before {}", deleted, cutoff);
        }
        return deleted;
    }
}
