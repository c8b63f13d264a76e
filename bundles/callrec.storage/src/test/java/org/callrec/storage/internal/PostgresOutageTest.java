package org.callrec.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.callrec.api.health.HealthStatus;
import org.callrec.api.storage.Recording;
import org.callrec.api.storage.RecordingEntry;
import org.callrec.api.storage.RecordingStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.osgi.PGDataSourceFactory;

import java.nio.file.Path;

/**
 * PostgreSQL stops in the middle of recordings: audio keeps being written, a new recording still
 * starts, and when the server is back every entry reaches the catalog with its final state.
 */
class PostgresOutageTest {

    @TempDir
    Path data;

    @Test
    void aCatalogOutageLosesNoRecording() throws Exception {
        JdbcCatalog catalog = new JdbcCatalog(new PGDataSourceFactory().createDataSource(TestPostgres.connection()));
        RecordingStore store = new RecordingStore(data.resolve("recordings"),
                new RecordingStore.Settings(100, 0, 0, 200), () -> catalog);
        boolean stopped = false;
        try {
            store.start();
            List<Recording> recs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                recs.add(store.open(RecordingStoreTest.meta("outage-" + i, 2, null)));
            }
            write(recs, 0, 8000);
            awaitCatalogued(store);
            for (Recording r : recs) {
                assertEquals(RecordingStatus.RECORDING, catalog.find(r.id()).orElseThrow().status());
            }

            TestPostgres.control("stop");
            stopped = true;
            write(recs, 8000, 16000);
            recs.get(0).close(RecordingStatus.COMPLETE, null);
            recs.get(1).close(RecordingStatus.COMPLETE, null);
            Recording during = store.open(RecordingStoreTest.meta("outage-3", 1, null));
            write(List.of(during), 0, 8000);
            during.close(RecordingStatus.COMPLETE, null);
            Thread.sleep(1000); // several failed retries
            assertTrue(store.unsyncedCount() >= 3, "entries wait while the catalog is away: " + store.unsyncedCount());
            assertEquals(HealthStatus.WARNING, store.health().status());
            assertTrue(store.health().message().startsWith("catalog database unavailable"), store.health().message());

            TestPostgres.control("start");
            stopped = false;
            awaitCatalogued(store);
            recs.get(2).close(RecordingStatus.COMPLETE, null);
            awaitCatalogued(store);

            recs.add(during);
            long[] expectedMillis = {2000, 2000, 2000, 1000};
            for (int i = 0; i < recs.size(); i++) {
                Recording r = recs.get(i);
                RecordingEntry e = catalog.find(r.id()).orElseThrow();
                assertEquals(RecordingStatus.COMPLETE, e.status(), r.metadata().callId());
                assertEquals(expectedMillis[i], e.durationMillis(), r.metadata().callId());
                long frames = Sox.assertPlayable(store.paths().wav(r.id()), r.metadata().channels());
                assertEquals(expectedMillis[i] * 8, frames);
            }
            assertEquals(HealthStatus.OK, store.health().status());
        } finally {
            if (stopped) {
                TestPostgres.control("start");
            }
            store.close();
            catalog.close();
        }
    }

    private static void write(List<Recording> recs, long from, long to) {
        for (long pos = from; pos < to; pos += 160) {
            for (Recording r : recs) {
                int index = Integer.parseInt(r.metadata().callId().replaceAll("\\D", ""));
                for (int c = 0; c < r.metadata().channels(); c++) {
                    r.channel(c).pcm(pos, TestSignal.block(index, c, pos, 160), 0, 160);
                }
            }
        }
    }

    private static void awaitCatalogued(RecordingStore store) throws InterruptedException {
        for (int i = 0; i < 300 && store.unsyncedCount() > 0; i++) {
            Thread.sleep(50);
        }
        assertEquals(0, store.unsyncedCount(), "entries still waiting for the catalog");
    }
}
