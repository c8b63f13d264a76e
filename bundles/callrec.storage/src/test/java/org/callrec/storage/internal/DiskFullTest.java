package org.callrec.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.callrec.api.health.HealthReport;
import org.callrec.api.health.HealthStatus;
import org.callrec.api.storage.Recording;
import org.callrec.api.storage.RecordingEntry;
import org.callrec.api.storage.RecordingStatus;
import org.callrec.api.storage.StorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recordings folder on a small tmpfs (mounted here; the tests run as root in CI): first the
 * free-space guard stops recordings cleanly and refuses new ones, then, with the guard off, the
 * disk really fills up. Afterwards sox reads every file without a complaint.
 */
class DiskFullTest {

    private static final long MB = 1024 * 1024;

    @TempDir
    Path data;

    @Test
    void fillingTheDiskCorruptsNoFileAndRaisesAClearAlert() throws Exception {
        Path mount = Files.createDirectories(data.resolve("small-disk"));
        run("mount", "-t", "tmpfs", "-o", "size=16m", "callrec-test", mount.toString());
        JdbcCatalog catalog = RecordingStoreTest.h2(data);
        try {
            Path root = mount.resolve("recordings");
            List<String> ids = new ArrayList<>();

            // 1. the guard: 6 MB threshold, 8 stereo recordings written faster than real time
            RecordingStore guarded = new RecordingStore(root, new RecordingStore.Settings(50, 0, 6 * MB, 100),
                    () -> catalog);
            guarded.start();
            List<Recording> running = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                running.add(guarded.open(RecordingStoreTest.meta("full-" + i, 2, null)));
            }
            writeUntilAllClosed(guarded, running);
            HealthReport alert = guarded.health();
            assertEquals(HealthStatus.CRITICAL, alert.status());
            assertTrue(alert.message().contains("below the threshold of 6.0 MB"), alert.message());
            StorageException refused = assertThrows(StorageException.class,
                    () -> guarded.open(RecordingStoreTest.meta("one-more", 1, null)));
            assertTrue(refused.getMessage().contains("below the threshold") && refused.getMessage().contains("one-more"),
                    refused.getMessage());
            awaitCatalogued(guarded);
            for (Recording r : running) {
                RecordingEntry e = catalog.find(r.id()).orElseThrow();
                assertEquals(RecordingStatus.FAILED, e.status());
                assertTrue(e.statusReason().contains("free disk space") && e.statusReason().contains("complete up to"),
                        e.statusReason());
                assertTrue(e.durationMillis() > 1000, "recorded something before the guard stopped it");
                ids.add(r.id());
            }
            guarded.close();

            // 2. no guard, the disk really fills: writes fail, files are cut to their last complete frame
            RecordingStore unguarded = new RecordingStore(root, new RecordingStore.Settings(50, 0, 0, 100),
                    () -> catalog);
            unguarded.start();
            long usable = Files.getFileStore(root).getUsableSpace();
            try (OutputStream filler = Files.newOutputStream(mount.resolve("filler"))) {
                byte[] chunk = new byte[64 * 1024];
                for (long left = usable - 400 * 1024; left > 0; left -= chunk.length) {
                    filler.write(chunk, 0, (int) Math.min(chunk.length, left));
                }
            }
            running.clear();
            for (int i = 0; i < 3; i++) {
                running.add(unguarded.open(RecordingStoreTest.meta("enospc-" + i, 1 + i % 2, null)));
            }
            writeUntilAllClosed(unguarded, running);
            awaitCatalogued(unguarded);
            for (Recording r : running) {
                RecordingEntry e = catalog.find(r.id()).orElseThrow();
                assertEquals(RecordingStatus.FAILED, e.status());
                assertTrue(e.statusReason().startsWith("writing the file failed"), e.statusReason());
                ids.add(r.id());
            }
            unguarded.close();

            // 3. every file: sox reads it without a warning, and it holds exactly what the catalog says
            List<Path> files = Sox.wavFiles(root);
            assertEquals(ids.size(), files.size());
            RecordingPaths paths = new RecordingPaths(root);
            for (String id : ids) {
                RecordingEntry e = catalog.find(id).orElseThrow();
                long frames = Sox.assertPlayable(paths.wav(id), e.metadata().channels());
                assertEquals(e.durationMillis(), frames / 8, id);
                short[] s = Sox.channel(paths.wav(id), 0);
                int index = Integer.parseInt(e.metadata().callId().replaceAll("\\D", ""));
                for (int i = 0; i < s.length; i += 101) {
                    assertEquals(TestSignal.sample(index, 0, i), s[i], id + " sample " + i);
                }
            }
        } finally {
            catalog.close();
            run("umount", mount.toString());
        }
    }

    /** Writes 1 s per round to every recording until the store has closed them all. */
    private static void writeUntilAllClosed(RecordingStore store, List<Recording> recordings) throws Exception {
        int index;
        for (long pos = 0; store.openCount() > 0; pos += 8000) {
            if (pos > 8000L * 3600) {
                fail("the store never stopped the recordings");
            }
            for (Recording r : recordings) {
                index = Integer.parseInt(r.metadata().callId().replaceAll("\\D", ""));
                for (int c = 0; c < r.metadata().channels(); c++) {
                    r.channel(c).pcm(pos, TestSignal.block(index, c, pos, 8000), 0, 8000);
                }
            }
            Thread.sleep(20);
        }
    }

    private static void awaitCatalogued(RecordingStore store) throws InterruptedException {
        for (int i = 0; i < 200 && store.unsyncedCount() > 0; i++) {
            Thread.sleep(50);
        }
        assertEquals(0, store.unsyncedCount());
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed (the disk-full test needs root to mount a"
                + " tmpfs): " + out);
        assertFalse(out.contains("error"), out);
    }
}
