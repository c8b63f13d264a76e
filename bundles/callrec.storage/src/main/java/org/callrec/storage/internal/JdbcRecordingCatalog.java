package org.callrec.storage.internal;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.callrec.api.storage.RecordingCatalog;
import org.callrec.api.storage.RecordingEntry;
import org.callrec.api.storage.RecordingPage;
import org.callrec.api.storage.RecordingQuery;
import org.callrec.api.storage.RecordingStatus;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recordings catalog over the DataSourceFactory the configuration selects (H2 by default).
 * It stays registered while the database is unreachable: calls then fail with a clear message
 * and the writer keeps entries in its journal until the database answers again.
 */
@Component(immediate = true, configurationPid = "org.callrec.storage.catalog",
        service = {RecordingCatalog.class, CatalogStore.class})
@Designate(ocd = CatalogConfig.class)
public final class JdbcRecordingCatalog implements RecordingCatalog, CatalogStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcRecordingCatalog.class);

    @Reference
    private DataSourceFactory dataSourceFactory;

    private JdbcCatalog db;
    private RecordingPaths paths;

    @Activate
    void activate(BundleContext context, CatalogConfig config) throws SQLException {
        String data = context.getProperty("callrec.data");
        paths = new RecordingPaths(RecordingPaths.recordingsRoot(data));
        Properties props = new Properties();
        String url = config.url().trim();
        if (url.isEmpty()) {
            Path file = Path.of(data == null || data.isBlank() ? "data" : data).resolve("catalog").resolve("callrec");
            url = "jdbc:h2:file:" + file.toAbsolutePath();
        }
        props.setProperty(DataSourceFactory.JDBC_URL, url);
        if (!config.user().isEmpty()) {
            props.setProperty(DataSourceFactory.JDBC_USER, config.user());
            props.setProperty(DataSourceFactory.JDBC_PASSWORD, config.password());
        }
        db = new JdbcCatalog(dataSourceFactory.createDataSource(props));
        // Connect and migrate off the activating thread: an unreachable server must not hold up the mode switch
        String where = url;
        Thread opener = new Thread(() -> {
            try {
                db.open();
                LOG.info("Recordings catalog at {} (schema version {})", where, Migrations.STEPS.size());
            } catch (SQLException e) {
                LOG.error("Recordings catalog at {} is unreachable ({}); recordings are kept in the journal until it"
                        + " answers", where, e.getMessage());
            }
        }, "callrec-catalog-open");
        opener.setDaemon(true);
        opener.start();
    }

    @Deactivate
    void deactivate() {
        db.close();
    }

    @Override
    public Optional<RecordingEntry> get(String id) {
        if (!RecordingPaths.isValidId(id)) {
            return Optional.empty();
        }
        try {
            return db.find(id);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public RecordingPage search(RecordingQuery query) {
        try {
            return db.query(query);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<SeekableByteChannel> audioChannel(String id) throws IOException {
        if (!RecordingPaths.isValidId(id)) {
            return Optional.empty();
        }
        Path wav = paths.wav(id);
        return Files.exists(wav) ? Optional.of(Files.newByteChannel(wav)) : Optional.empty();
    }

    @Override
    public boolean legalHold(String id, boolean hold) {
        try {
            boolean found = RecordingPaths.isValidId(id) && db.setLegalHold(id, hold);
            if (found) {
                LOG.info("Recording {} {} legal hold", id, hold ? "put on" : "released from");
            }
            return found;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public boolean delete(String id) throws IOException {
        Optional<RecordingEntry> e = get(id);
        if (e.isEmpty()) {
            return false;
        }
        if (e.get().legalHold()) {
            throw new IllegalStateException("recording " + id + " is on legal hold and cannot be deleted");
        }
        if (e.get().status() == RecordingStatus.RECORDING) {
            throw new IllegalStateException("recording " + id + " is still being written");
        }
        List<Path> files = paths.delete(id);
        try {
            db.remove(id);
        } catch (SQLException x) {
            throw unavailable(x);
        }
        LOG.info("Recording {} deleted (call {}, ext {}): {}", id, e.get().metadata().callId(),
                e.get().metadata().extension(), files);
        return true;
    }

    private static IllegalStateException unavailable(SQLException e) {
        return new IllegalStateException("recordings catalog unavailable: " + e.getMessage(), e);
    }

    // CatalogStore, for the writer and retention in this bundle

    @Override
    public void upsert(RecordingEntry entry) throws SQLException {
        db.upsert(entry);
    }

    @Override
    public void upsertAll(List<RecordingEntry> entries) throws SQLException {
        db.upsertAll(entries);
    }

    @Override
    public Optional<RecordingEntry> find(String id) throws SQLException {
        return db.find(id);
    }

    @Override
    public RecordingPage query(RecordingQuery query) throws SQLException {
        return db.query(query);
    }

    @Override
    public boolean setLegalHold(String id, boolean hold) throws SQLException {
        return db.setLegalHold(id, hold);
    }

    @Override
    public boolean remove(String id) throws SQLException {
        return db.remove(id);
    }

    @Override
    public List<String> expired(Instant cutoff, int limit) throws SQLException {
        return db.expired(cutoff, limit);
    }
}
