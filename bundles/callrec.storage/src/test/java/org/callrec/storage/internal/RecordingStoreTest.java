package org.callrec.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.audio.GapMarker;
import org.callrec.api.call.CallDirection;
import org.callrec.api.health.HealthStatus;
import org.callrec.api.mode.IntegrationMode;
import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.storage.Recording;
import org.callrec.api.storage.RecordingEntry;
import org.callrec.api.storage.RecordingMetadata;
import org.callrec.api.storage.RecordingStatus;
import org.h2.util.OsgiDataSourceFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.jdbc.DataSourceFactory;

class RecordingStoreTest {

    @TempDir
    Path data;

    JdbcCatalog catalog;
    AtomicReference<CatalogStore> available = new AtomicReference<>();
    RecordingStore store;

    static JdbcCatalog h2(Path data) throws Exception {
        Properties p = new Properties();
        p.setProperty(DataSourceFactory.JDBC_URL, "jdbc:h2:file:" + data.resolve("catalog").resolve("callrec"));
        return new JdbcCatalog(new OsgiDataSourceFactory(new org.h2.Driver()).createDataSource(p));
    }

    @BeforeEach
    void start() throws Exception {
        catalog = h2(data);
        available.set(catalog);
        store = new RecordingStore(data.resolve("recordings"), new RecordingStore.Settings(50, 200, 0, 100),
                available::get);
        store.start();
    }

    @AfterEach
    void stop() {
        store.close();
        catalog.close();
    }

    static RecordingMetadata meta(String callId, int channels, String ani) {
        return new RecordingMetadata(callId, List.of("seg-" + callId), "2001", "alice", ani, null,
                CallDirection.INBOUND, Instant.parse("2026-11-26T10:15:00Z"), channels,
                channels == 2 ? IntegrationMode.SHORETEL_TAPI : IntegrationMode.SHORETEL_TAPI_WAVE, "rec-1", null);
    }

    void awaitCatalogued() throws InterruptedException {
        for (int i = 0; i < 200 && store.unsyncedCount() > 0; i++) {
            Thread.sleep(50);
        }
        assertEquals(0, store.unsyncedCount(), "entries still waiting for the catalog");
    }

    @Test
    void aStereoCallIsStoredWithItsGapsDtmfAndCounters() throws Exception {
        Recording r = store.open(meta("call-1", 2, "../../etc/passwd"));
        Path wav = data.resolve("recordings/2026/11/26/" + r.id() + ".wav");
        assertTrue(Files.exists(wav), "file in data/recordings/YYYY/MM/DD/<id>.wav, no caller text in the path");
        for (long pos = 0; pos < 24000; pos += 160) {
            if (pos < 8000 || pos >= 16000) {
                r.channel(0).pcm(pos, TestSignal.block(7, 0, pos, 160), 0, 160);
            }
            r.channel(1).pcm(pos, TestSignal.block(7, 1, pos, 160), 0, 160);
        }
        r.channel(0).gap(new GapMarker(0, 8000, 8000, GapMarker.Reason.HOLD));
        r.channel(1).dtmf(new DtmfEvent(1, '7', 4000, 800, 10));
        r.annotate("codec", "PCMU");
        r.annotate("packets.lost", "2");
        awaitCatalogued();
        RecordingEntry live = catalog.find(r.id()).orElseThrow();
        assertEquals(RecordingStatus.RECORDING, live.status(), "the catalog shows a running recording");
        r.close(RecordingStatus.COMPLETE, null);

        assertEquals(24000, Sox.assertPlayable(wav, 2));
        short[] left = Sox.channel(wav, 0);
        assertEquals(TestSignal.sample(7, 0, 7999), left[7999]);
        assertEquals(0, left[8000]);
        assertEquals(0, left[15999]);
        assertEquals(TestSignal.sample(7, 0, 16000), left[16000]);

        awaitCatalogued();
        RecordingEntry e = catalog.find(r.id()).orElseThrow();
        assertEquals(RecordingStatus.COMPLETE, e.status());
        assertEquals(3000, e.durationMillis());
        assertEquals(List.of(new GapMarker(0, 8000, 8000, GapMarker.Reason.HOLD)), e.gaps());
        assertEquals(List.of(new DtmfEvent(1, '7', 4000, 800, 10)), e.dtmf());
        assertEquals(List.of("PCMU"), e.codecs());
        assertEquals(Map.of("packets.lost", 2L), e.counters());
        assertEquals("../../etc/passwd", e.metadata().ani());
        assertEquals(List.of("seg-call-1"), e.metadata().relatedCallIds());
        assertTrue(new RecordingJournal(data.resolve("recordings/journal")).ids().isEmpty(), "journal emptied");
    }

    @Test
    void badInputIsRefusedCountedAndLosesNothingElse() throws Exception {
        Recording r = store.open(meta("call-2", 1, null));
        assertThrows(IllegalArgumentException.class, () -> r.channel(1));
        r.channel(0).pcm(0, TestSignal.block(8, 0, 0, 8000), 0, 8000);
        r.channel(0).pcm(-5, new short[10], 0, 10);
        r.channel(0).pcm(WavFile.MAX_FRAMES, new short[10], 0, 10);
        r.channel(0).pcm(8000, new short[10], 5, 10);
        r.channel(0).gap(new GapMarker(1, 0, 10, GapMarker.Reason.LOSS));
        r.annotate("packets.lost", "many");
        r.close(RecordingStatus.COMPLETE, null);
        r.channel(0).pcm(8000, new short[10], 0, 10);
        awaitCatalogued();
        RecordingEntry e = catalog.find(r.id()).orElseThrow();
        assertEquals(Map.of("pcm.rejected", 3L, "gap.rejected", 1L, "annotation.rejected", 1L), e.counters());
        assertEquals(1000, e.durationMillis());
        short[] s = Sox.channel(store.paths().wav(r.id()), 0);
        assertEquals(8000, s.length);
        assertEquals(TestSignal.sample(8, 0, 4321), s[4321]);
    }

    @Test
    void rawPayloadMarksTheRecordingDecodePending() throws Exception {
        Recording r = store.open(meta("call-3", 1, null));
        r.raw(0, PayloadFormat.G729).payload(0, new byte[20], 0, 20);
        r.close(RecordingStatus.COMPLETE, null);
        awaitCatalogued();
        RecordingEntry e = catalog.find(r.id()).orElseThrow();
        assertEquals(RecordingStatus.DECODE_PENDING, e.status());
        assertEquals(List.of("G729"), e.codecs());
        assertTrue(Files.size(store.paths().wav(r.id()).resolveSibling(r.id() + ".ch0.g729.raw")) > 30);
    }

    @Test
    void aSkippedCallIsCataloguedWithItsReason() throws Exception {
        String id = store.skipped(meta("call-4", 1, null), RecordingStatus.SKIPPED, "internal call in TAPI/Wave");
        awaitCatalogued();
        RecordingEntry e = catalog.find(id).orElseThrow();
        assertEquals(RecordingStatus.SKIPPED, e.status());
        assertEquals("internal call in TAPI/Wave", e.statusReason());
        assertFalse(Files.exists(store.paths().wav(id)));
    }

    @Test
    void withoutACatalogAudioIsWrittenAndEntriesCatchUpLater() throws Exception {
        available.set(null);
        Recording r = store.open(meta("call-5", 2, null));
        r.channel(0).pcm(0, TestSignal.block(9, 0, 0, 4000), 0, 4000);
        r.close(RecordingStatus.COMPLETE, null);
        Thread.sleep(300);
        assertEquals(1, store.unsyncedCount());
        assertEquals(HealthStatus.WARNING, store.health().status());
        assertFalse(catalog.find(r.id()).isPresent());
        available.set(catalog);
        awaitCatalogued();
        assertEquals(RecordingStatus.COMPLETE, catalog.find(r.id()).orElseThrow().status());
        // the push clears its problem after the last entry is confirmed: wait for that, not just the entries
        for (int i = 0; i < 100 && store.health().status() != HealthStatus.OK; i++) {
            Thread.sleep(20);
        }
        assertEquals(HealthStatus.OK, store.health().status());
    }
}
