package org.callrec.storage.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.call.CallDirection;
import org.callrec.api.mode.IntegrationMode;
import org.callrec.api.storage.Recording;
import org.callrec.api.storage.RecordingMetadata;

/**
 * The process {@link CrashRecoveryTest} kills: records N calls (odd ones stereo, even ones mono)
 * in real time into a data folder with the default flush and sync policy, and reports after each
 * 20 ms step how far every recording has been handed to the writer ("AT <frames>").
 */
public final class CrashVictim {

    private CrashVictim() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        JdbcCatalog catalog = RecordingStoreTest.h2(data);
        RecordingStore store = new RecordingStore(data.resolve("recordings"),
                new RecordingStore.Settings(500, 1000, 0, 5000), () -> catalog);
        store.start();
        List<Recording> recordings = new ArrayList<>();
        Instant start = Instant.now();
        for (int i = 0; i < count; i++) {
            int channels = i % 2 == 1 ? 2 : 1;
            recordings.add(store.open(new RecordingMetadata("call-" + i, List.of(), "20" + i, "user" + i, null, null,
                    CallDirection.OUTBOUND, start, channels,
                    channels == 2 ? IntegrationMode.SHORETEL_TAPI : IntegrationMode.SHORETEL_TAPI_WAVE, "victim", null)));
        }
        for (Recording r : recordings) {
            // facts learnt while recording survive the crash through the journal
            r.channel(0).dtmf(new DtmfEvent(0, '5', 800, 400, 10));
            r.annotate("codec", "PCMU");
        }
        System.out.println("OPEN " + count);
        long t0 = System.nanoTime();
        long pos = 0;
        while (true) {
            long due = (System.nanoTime() - t0) / 125_000; // frames at 8 kHz
            while (pos + 160 <= due) {
                for (int i = 0; i < count; i++) {
                    Recording r = recordings.get(i);
                    for (int c = 0; c < r.metadata().channels(); c++) {
                        r.channel(c).pcm(pos, TestSignal.block(i, c, pos, 160), 0, 160);
                    }
                }
                pos += 160;
                System.out.println("AT " + pos);
            }
            Thread.sleep(5);
        }
    }
}
