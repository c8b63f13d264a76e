package org.callrec.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.callrec.api.audio.AudioFormat;
import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.storage.RecordingEntry;
import org.callrec.api.storage.RecordingPage;
import org.callrec.api.storage.RecordingQuery;
import org.callrec.api.storage.RecordingStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 while 100 recordings are written, then start again: every file is repaired, plays, is
 * at most 1 s short of what was handed to the writer, holds the right samples at the right
 * places, and the catalog says interrupted.
 */
class CrashRecoveryTest {

    private static final int RECORDINGS = 100;

    @TempDir
    Path data;

    @Test
    void killMinus9LosesAtMostOneSecondOfEachRecording() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process victim = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashVictim.class.getName(), data.toString(), String.valueOf(RECORDINGS))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        AtomicLong handedOver = new AtomicLong(-1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(victim.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    if (line.startsWith("AT ")) {
                        handedOver.set(Long.parseLong(line.substring(3)));
                    }
                }
            } catch (Exception e) {
                // the process is gone
            }
        });
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // let it record for about 4.3 s, so the kill lands between flushes rather than on one
        while (handedOver.get() < 4 * 8000 + 2400) {
            if (System.nanoTime() > deadline || !victim.isAlive()) {
                fail("victim did not get going (alive=" + victim.isAlive() + ", at " + handedOver.get() + ")");
            }
            Thread.sleep(10);
        }
        Process kill = new ProcessBuilder("kill", "-9", String.valueOf(victim.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -9");
        assertTrue(victim.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, victim.exitValue(), "killed by SIGKILL");
        reader.join(5000);
        long before = handedOver.get();

        // restart: recovery runs on start
        JdbcCatalog catalog = RecordingStoreTest.h2(data);
        RecordingStore store = new RecordingStore(data.resolve("recordings"),
                new RecordingStore.Settings(500, 1000, 0, 100), () -> catalog);
        try {
            store.start();
            assertEquals(RECORDINGS, store.recoveredCount());
            for (int i = 0; i < 200 && store.unsyncedCount() > 0; i++) {
                Thread.sleep(50);
            }
            assertEquals(0, store.unsyncedCount());
            RecordingPage page = catalog.query(new RecordingQuery(null, null, null, null, null, null, null, null, null,
                    0, 1000));
            assertEquals(RECORDINGS, page.total());
            Map<Path, RecordingEntry> byFile = new HashMap<>();
            for (RecordingEntry e : page.entries()) {
                assertEquals(RecordingStatus.INTERRUPTED, e.status(), e.id());
                assertTrue(e.statusReason().startsWith("left open by a crash"), e.statusReason());
                assertEquals(List.of(new DtmfEvent(0, '5', 800, 400, 10)), e.dtmf(), e.id());
                assertEquals(List.of("PCMU"), e.codecs(), e.id());
                byFile.put(store.paths().wav(e.id()), e);
            }
            List<Path> files = Sox.wavFiles(data.resolve("recordings"));
            assertEquals(RECORDINGS, files.size());
            long shortest = Long.MAX_VALUE;
            int checkedByFfmpeg = 0;
            for (Path f : files) {
                RecordingEntry e = byFile.get(f);
                int channels = e.metadata().channels();
                int index = Integer.parseInt(e.metadata().callId().substring("call-".length()));
                long frames = Sox.assertPlayable(f, channels);
                if (checkedByFfmpeg++ < 4) {
                    Ffmpeg.assertDecodesLikeSox(f); // repaired headers read alike by a second decoder
                }
                shortest = Math.min(shortest, frames);
                assertTrue(before - frames <= AudioFormat.SAMPLE_RATE, f + ": " + frames + " frames of " + before
                        + " handed over: more than 1 s lost");
                assertEquals(frames / AudioFormat.SAMPLES_PER_MS, e.durationMillis());
                for (int c = 0; c < channels; c++) {
                    short[] s = Sox.channel(f, c);
                    for (int i = 0; i < s.length; i += 97) {
                        assertEquals(TestSignal.sample(index, c, i), s[i], f + " channel " + c + " sample " + i);
                    }
                }
            }
            assertTrue(new RecordingJournal(data.resolve("recordings/journal")).ids().isEmpty());
            System.out.printf("kill -9 after %d ms handed over: shortest file %d ms (%d ms lost at most)%n",
                    before / 8, shortest / 8, (before - shortest) / 8);
            Files.writeString(data.resolve("summary.txt"), before + " " + shortest);
        } finally {
            store.close();
            catalog.close();
        }
    }
}
