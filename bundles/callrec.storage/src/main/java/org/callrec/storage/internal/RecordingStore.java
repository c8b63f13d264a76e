package org.callrec.storage.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.callrec.api.audio.AudioFormat;
import org.callrec.api.health.HealthReport;
import org.callrec.api.health.HealthStatus;
import org.callrec.api.storage.RecordingEntry;
import org.callrec.api.storage.RecordingMetadata;
import org.callrec.api.storage.RecordingStatus;
import org.callrec.api.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where recordings are written: WAV files under the recordings folder, their catalog entries
 * first in the local journal and then in the catalog database when it answers. A ticker commits
 * audio and headers (flush policy), syncs files (sync policy), keeps the journal current and
 * watches free disk space; a second thread pushes entries to the catalog and retries while it is
 * away. On start, recovery repairs recordings a crash left open and marks them interrupted.
 */
final class RecordingStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingStore.class);
    /** Entries per catalog transaction. */
    private static final int PUSH_BATCH = 500;

    /**
     * @param flushMillis how often audio is committed to the file and the header updated
     * @param syncMillis how often files are forced to the device (0: only on close)
     * @param minFreeBytes below this free space no recording starts and running ones close
     * @param catalogRetryMillis how often entries are pushed to the catalog (and retried while it is away)
     */
    record Settings(long flushMillis, long syncMillis, long minFreeBytes, long catalogRetryMillis) {
        Settings {
            if (flushMillis < 10 || flushMillis > 1000) {
                throw new IllegalArgumentException("flush interval must be 10-1000 ms (at most 1 s of audio may be at risk): "
                        + flushMillis);
            }
            if (syncMillis < 0) {
                throw new IllegalArgumentException("sync interval must be >= 0 ms: " + syncMillis);
            }
            if (minFreeBytes < 0) {
                throw new IllegalArgumentException("free-space threshold must be >= 0: " + minFreeBytes);
            }
            if (catalogRetryMillis < 100) {
                throw new IllegalArgumentException("catalog retry interval must be >= 100 ms: " + catalogRetryMillis);
            }
        }
    }

    private final RecordingPaths paths;
    private final Path root;
    private final RecordingJournal journal;
    private final Settings settings;
    private final Supplier<CatalogStore> catalog;
    private final Map<String, OpenRecording> open = new ConcurrentHashMap<>();
    /** Entries the catalog has not confirmed yet, latest state per id. */
    private final Map<String, RecordingEntry> unsynced = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;
    private final ScheduledExecutorService catalogThread;
    private final ScheduledExecutorService syncer;
    private volatile boolean lowSpace;
    private volatile long freeBytes = -1;
    private volatile String catalogProblem;
    private volatile int recovered;
    private final AtomicBoolean pushRequested = new AtomicBoolean();

    RecordingStore(Path recordingsRoot, Settings settings, Supplier<CatalogStore> catalog) {
        this.root = recordingsRoot.toAbsolutePath().normalize();
        this.paths = new RecordingPaths(root);
        this.journal = new RecordingJournal(root.resolve("journal"));
        this.settings = settings;
        this.catalog = catalog;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "callrec-storage-flush"));
        this.syncer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "callrec-storage-sync"));
        this.catalogThread = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "callrec-storage-catalog"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Recovers what a crash left open, then starts the flush and catalog threads. */
    void start() throws IOException {
        Files.createDirectories(root);
        recover();
        checkSpace();
        ticker.scheduleAtFixedRate(this::tick, settings.flushMillis(), settings.flushMillis(), TimeUnit.MILLISECONDS);
        if (settings.syncMillis() > 0) {
            syncer.scheduleWithFixedDelay(this::syncAll, settings.syncMillis(), settings.syncMillis(),
                    TimeUnit.MILLISECONDS);
        }
        catalogThread.scheduleWithFixedDelay(() -> pushToCatalog(true), 0, settings.catalogRetryMillis(),
                TimeUnit.MILLISECONDS);
    }

    RecordingPaths paths() {
        return paths;
    }

    /** Repairs every journalled recording still marked as recording (none is open in this process yet). */
    private void recover() throws IOException {
        int n = 0;
        for (String id : journal.ids()) {
            RecordingEntry e;
            try {
                e = journal.load(id);
            } catch (IOException | RuntimeException x) {
                LOG.error("Journal entry {} cannot be read ({}); its WAV file, if any, is left as it is", id, x.toString());
                continue;
            }
            if (e.status() == RecordingStatus.RECORDING) {
                Path wav = paths.wav(id);
                Instant end = Files.exists(wav) ? Files.getLastModifiedTime(wav).toInstant() : e.metadata().start();
                long frames = WavFile.repair(wav, e.metadata().channels());
                String reason = String.format("left open by a crash or power loss; repaired to the last complete frame"
                        + " at %s", clock(frames));
                e = new RecordingEntry(id, e.metadata(), end, frames / AudioFormat.SAMPLES_PER_MS,
                        RecordingStatus.INTERRUPTED, reason, e.codecs(), e.counters(), e.gaps(), e.dtmf(), e.legalHold());
                journal.save(e);
                LOG.warn("Recovered recording {} (call {}): {}", id, e.metadata().callId(), reason);
                n++;
            }
            unsynced.put(id, e);
        }
        recovered = n;
        if (n > 0) {
            LOG.warn("Recovery repaired {} recording(s) left open by a crash and marked them interrupted", n);
        }
    }

    private static String clock(long frames) {
        long ms = frames / AudioFormat.SAMPLES_PER_MS;
        return String.format("%d:%02d.%03d", ms / 60000, ms / 1000 % 60, ms % 1000);
    }

    OpenRecording open(RecordingMetadata m) throws StorageException {
        checkSpace();
        if (lowSpace) {
            throw new StorageException(lowSpaceMessage() + ": recording of call " + m.callId() + " not started");
        }
        String id = RecordingPaths.newId(m.start());
        Path wavPath = paths.wav(id);
        RecordingEntry entry = new RecordingEntry(id, m, null, 0, RecordingStatus.RECORDING, null, null, null, null,
                null, false);
        WavFile wav;
        try {
            // Journal first: if we crash between the two, recovery still finds (and creates) the file
            journal.save(entry);
            Files.createDirectories(wavPath.getParent());
            wav = WavFile.create(wavPath, m.channels());
        } catch (IOException e) {
            try {
                journal.remove(id);
            } catch (IOException ignored) {
                // the recovery will mark it interrupted with no audio
            }
            throw new StorageException("cannot create recording file " + wavPath + ": " + e.getMessage(), e);
        }
        OpenRecording r = new OpenRecording(id, m, wav, wavPath, this);
        open.put(id, r);
        unsynced.put(id, entry);
        requestPush();
        LOG.info("Recording {} started: call {} ext {} ({} channel(s))", id, m.callId(), m.extension(), m.channels());
        return r;
    }

    String skipped(RecordingMetadata m, RecordingStatus status, String reason) {
        if (status != RecordingStatus.SKIPPED && status != RecordingStatus.FAILED) {
            throw new IllegalArgumentException("a call not recorded is SKIPPED or FAILED, not " + status);
        }
        String id = RecordingPaths.newId(m.start());
        RecordingEntry e = new RecordingEntry(id, m, m.start(), 0, status, reason, null, null, null, null, false);
        try {
            journal.save(e);
        } catch (IOException x) {
            LOG.error("Journal cannot keep the {} entry of call {} ({}); it goes to the catalog from memory",
                    status.id(), m.callId(), x.getMessage());
        }
        unsynced.put(id, e);
        requestPush();
        return id;
    }

    /** Closes a recording: commits and closes the file, stores the final entry, pushes it to the catalog. */
    void finish(OpenRecording r, RecordingStatus status, String reason) {
        if (status == RecordingStatus.RECORDING) {
            throw new IllegalArgumentException("a closed recording cannot have status " + status);
        }
        if (status == RecordingStatus.COMPLETE && r.usedRaw()) {
            status = RecordingStatus.DECODE_PENDING;
            reason = reason == null ? "audio kept as raw codec payload; decoded when the codec becomes available" : reason;
        }
        if (!r.markFinal(status)) {
            return;
        }
        try {
            r.wav().close();
        } catch (IOException e) {
            status = RecordingStatus.FAILED;
            reason = "closing the file failed: " + e.getMessage() + (reason == null ? "" : "; " + reason);
            abandon(r);
        }
        complete(r, status, reason);
    }

    /** A write failed (e.g. disk full): the file is cut to its last complete frame and the recording closed as failed. */
    void writeFailed(OpenRecording r, IOException e) {
        if (!r.markFinal(RecordingStatus.FAILED)) {
            return;
        }
        abandon(r);
        String reason = "writing the file failed (" + e.getMessage() + "); the file holds the audio up to "
                + clock(r.wav().frames());
        LOG.error("Recording {} (call {}): {}", r.id(), r.metadata().callId(), reason);
        complete(r, RecordingStatus.FAILED, reason);
    }

    private void abandon(OpenRecording r) {
        try {
            r.wav().abandon();
        } catch (IOException x) {
            LOG.error("Recording {}: cutting the file back to its last complete frame failed: {}; recovery repairs it"
                    + " on the next start", r.id(), x.getMessage());
        }
    }

    private void complete(OpenRecording r, RecordingStatus status, String reason) {
        RecordingEntry e = r.snapshot(status, reason, Instant.now());
        e = new RecordingEntry(e.id(), e.metadata(), e.end(), r.wav().frames() / AudioFormat.SAMPLES_PER_MS, status,
                reason, e.codecs(), e.counters(), e.gaps(), e.dtmf(), false);
        try {
            synchronized (r) {
                journal.save(e);
            }
        } catch (IOException x) {
            LOG.error("Journal cannot keep the final entry of recording {} ({}); it goes to the catalog from memory",
                    r.id(), x.getMessage());
        }
        unsynced.put(r.id(), e);
        open.remove(r.id());
        requestPush();
        LOG.info("Recording {} closed: {} ({} ms){}", r.id(), status.id(), e.durationMillis(),
                reason == null ? "" : ": " + reason);
    }

    /** Flush policy, journal, free space: every flush interval. */
    private void tick() {
        long t0 = System.nanoTime();
        int recordings = open.size();
        try {
            for (OpenRecording r : open.values()) {
                try {
                    r.wav().flush();
                    r.flushRaw();
                } catch (IOException e) {
                    writeFailed(r, e);
                    continue;
                } catch (IllegalStateException closedMeanwhile) {
                    continue;
                }
                try {
                    r.journalRunning(journal);
                } catch (IOException e) {
                    LOG.error("Journal cannot keep recording {}'s gaps and events ({})", r.id(), e.getMessage());
                }
            }
            checkSpace();
        } catch (RuntimeException e) {
            LOG.error("Storage flush failed", e);
        }
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        if (took > settings.flushMillis()) {
            LOG.warn("Storage flush of {} recording(s) took {} ms, longer than the flush interval of {} ms: more audio"
                    + " than the policy allows is at risk if the process dies", recordings, took, settings.flushMillis());
        }
    }

    /** Sync policy, on its own thread: a slow disk delays the fsync, never the flush. */
    private void syncAll() {
        for (OpenRecording r : open.values()) {
            try {
                r.wav().sync();
            } catch (IOException e) {
                LOG.error("Recording {}: forcing the file to disk failed: {}", r.id(), e.getMessage());
            }
        }
    }

    private void checkSpace() {
        long free;
        try {
            FileStore fs = Files.getFileStore(root);
            free = fs.getUsableSpace();
        } catch (IOException e) {
            LOG.error("Free space of {} cannot be read: {}", root, e.getMessage());
            return;
        }
        freeBytes = free;
        boolean low = free < settings.minFreeBytes();
        if (low && !lowSpace) {
            lowSpace = true;
            List<OpenRecording> running = new ArrayList<>(open.values());
            LOG.error("{}: no new recording starts; closing {} running recording(s) cleanly", lowSpaceMessage(),
                    running.size());
            for (OpenRecording r : running) {
                finish(r, RecordingStatus.FAILED, lowSpaceMessage() + ": recording stopped; the file is complete up to"
                        + " that point");
            }
        } else if (!low && lowSpace) {
            lowSpace = false;
            LOG.info("Free disk space on {} is {} MB again (threshold {} MB): recordings start again", root,
                    free / (1024 * 1024), settings.minFreeBytes() / (1024 * 1024));
        }
    }

    private String lowSpaceMessage() {
        return String.format("free disk space %.1f MB on %s is below the threshold of %.1f MB", freeBytes / 1048576.0,
                root, settings.minFreeBytes() / 1048576.0);
    }

    /**
     * Asks the catalog thread for a push of what changed. Requests made while one is queued are
     * served by it: a thousand calls closing at once make a few pushes, not a thousand.
     */
    private void requestPush() {
        if (pushRequested.compareAndSet(false, true)) {
            try {
                catalogThread.execute(() -> {
                    pushRequested.set(false);
                    pushToCatalog(false);
                });
            } catch (RejectedExecutionException stopped) {
                pushRequested.set(false); // closing: close() makes the last push itself
            }
        }
    }

    /**
     * Pushes unconfirmed entries to the catalog, in batches; retried until it answers.
     *
     * @param progress also the progress of running recordings (the periodic push; the catalog
     *            writes only what changed since their last push)
     */
    void pushToCatalog(boolean progress) {
        CatalogStore db = catalog.get();
        if (db == null) {
            // at start the writer may come up before the catalog: only a problem once something waits for it
            if (!unsynced.isEmpty() || !open.isEmpty()) {
                noteCatalogProblem("no catalog database is configured or available");
            }
            return;
        }
        if (progress) {
            for (OpenRecording r : open.values()) {
                if (!r.isFinal()) {
                    unsynced.putIfAbsent(r.id(), r.snapshot(RecordingStatus.RECORDING, null, null));
                }
            }
        }
        int pushed = 0;
        List<RecordingEntry> batch = new ArrayList<>(Math.min(PUSH_BATCH, unsynced.size()));
        for (RecordingEntry e : unsynced.values()) {
            batch.add(e);
            if (batch.size() == PUSH_BATCH) {
                if (!push(db, batch)) {
                    return;
                }
                pushed += batch.size();
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            if (!push(db, batch)) {
                return;
            }
            pushed += batch.size();
        }
        if (catalogProblem != null) {
            LOG.info("Catalog database reachable again: caught up {} entr{}", pushed, pushed == 1 ? "y" : "ies");
            catalogProblem = null;
        }
    }

    /** @return false if the catalog failed (the entries stay for the retry) */
    private boolean push(CatalogStore db, List<RecordingEntry> batch) {
        try {
            db.upsertAll(batch);
        } catch (SQLException | RuntimeException x) {
            noteCatalogProblem(x.getMessage());
            return false;
        }
        for (RecordingEntry e : batch) {
            // a newer state that arrived meanwhile stays for the next push
            if (unsynced.remove(e.id(), e) && e.status() != RecordingStatus.RECORDING) {
                try {
                    journal.remove(e.id());
                } catch (IOException x) {
                    LOG.warn("Journal entry {} is in the catalog but cannot be removed: {}", e.id(), x.getMessage());
                }
            }
        }
        return true;
    }

    private void noteCatalogProblem(String problem) {
        if (catalogProblem == null) {
            LOG.warn("Catalog database unavailable ({}): audio is still written; {} entr{} kept in {} and retried every"
                    + " {} ms", problem, unsynced.size(), unsynced.size() == 1 ? "y" : "ies", journal.dir(),
                    settings.catalogRetryMillis());
        }
        catalogProblem = problem == null ? "unknown error" : problem;
    }

    /**
     * The recordings kept as raw payload: those the catalog lists as decode-pending and those
     * still waiting for it in the journal.
     */
    List<RecordingEntry> decodePending() {
        Map<String, RecordingEntry> found = new java.util.LinkedHashMap<>();
        CatalogStore db = catalog.get();
        if (db != null) {
            try {
                for (int offset = 0;; offset += 1000) {
                    var page = db.query(new org.callrec.api.storage.RecordingQuery(null, null, null, null, null, null,
                            null, RecordingStatus.DECODE_PENDING, null, offset, 1000));
                    page.entries().forEach(e -> found.put(e.id(), e));
                    if (page.entries().size() < 1000) {
                        break;
                    }
                }
            } catch (SQLException | RuntimeException x) {
                noteCatalogProblem(x.getMessage());
            }
        }
        // the journal's state is newer than the catalog's
        for (RecordingEntry e : unsynced.values()) {
            if (e.status() == RecordingStatus.DECODE_PENDING) {
                found.put(e.id(), e);
            } else {
                found.remove(e.id());
            }
        }
        return new ArrayList<>(found.values());
    }

    /** @return the newest state of a closed recording: the journal's if the catalog has not confirmed it yet */
    java.util.Optional<RecordingEntry> entry(String id) throws SQLException {
        RecordingEntry e = unsynced.get(id);
        if (e != null) {
            return java.util.Optional.of(e);
        }
        CatalogStore db = catalog.get();
        if (db == null) {
            throw new SQLException("no catalog database is configured or available");
        }
        return db.find(id);
    }

    /** Replaces a closed recording's entry (e.g. decoded after the fact): journal first, then the catalog. */
    void replace(RecordingEntry e) throws IOException {
        if (open.containsKey(e.id())) {
            throw new IllegalStateException("recording " + e.id() + " is still being written");
        }
        journal.save(e);
        unsynced.put(e.id(), e);
        requestPush();
    }

    /** @return entries waiting for the catalog */
    int unsyncedCount() {
        return unsynced.size();
    }

    int openCount() {
        return open.size();
    }

    int recoveredCount() {
        return recovered;
    }

    boolean isOpen(String id) {
        return open.containsKey(id);
    }

    HealthReport health() {
        List<String> details = new ArrayList<>();
        details.add(String.format("free space %.1f MB (threshold %.1f MB) on %s", freeBytes / 1048576.0,
                settings.minFreeBytes() / 1048576.0, root));
        details.add(open.size() + " recording(s) being written, " + unsynced.size() + " catalog entr"
                + (unsynced.size() == 1 ? "y" : "ies") + " waiting");
        if (lowSpace) {
            return new HealthReport("storage", HealthStatus.CRITICAL, lowSpaceMessage() + ": no recording can start",
                    details, null);
        }
        if (catalogProblem != null) {
            return new HealthReport("storage", HealthStatus.WARNING, "catalog database unavailable (" + catalogProblem
                    + "); audio is still written and catalogued when it returns", details, null);
        }
        return new HealthReport("storage", HealthStatus.OK, "recordings are being stored", details, null);
    }

    /** Stops: running recordings are closed as interrupted (shutdown or mode switch), the catalog gets one last push. */
    @Override
    public void close() {
        ticker.shutdown();
        syncer.shutdown();
        awaitQuietly(ticker);
        awaitQuietly(syncer);
        for (OpenRecording r : new ArrayList<>(open.values())) {
            finish(r, RecordingStatus.INTERRUPTED, "storage stopped while recording (shutdown or mode switch)");
        }
        catalogThread.execute(() -> pushToCatalog(false));
        catalogThread.shutdown();
        awaitQuietly(catalogThread);
    }

    private static void awaitQuietly(ScheduledExecutorService s) {
        try {
            if (!s.awaitTermination(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
                s.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
