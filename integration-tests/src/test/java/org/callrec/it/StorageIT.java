package org.callrec.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.callrec.api.call.CallDirection;
import org.callrec.api.health.HealthCheck;
import org.callrec.api.health.HealthReport;
import org.callrec.api.health.HealthStatus;
import org.callrec.api.mode.IntegrationMode;
import org.callrec.api.storage.Recording;
import org.callrec.api.storage.RecordingCatalog;
import org.callrec.api.storage.RecordingEntry;
import org.callrec.api.storage.RecordingMetadata;
import org.callrec.api.storage.RecordingQuery;
import org.callrec.api.storage.RecordingStatus;
import org.callrec.api.storage.RecordingWriter;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * The storage bundle in the shipped runtime: the writer and the catalog come up on the embedded H2
 * driver's DataSourceFactory with no set-up, a recording lands in data/recordings/YYYY/MM/DD and
 * in the catalog, and the storage health check reports.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StorageIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return ShippedRuntime.options("storage");
    }

    private <T> T await(Class<T> type) throws InterruptedException {
        return RuntimeServices.await(context, type);
    }

    @Test
    public void aRecordingIsWrittenAndCataloguedOnTheEmbeddedDatabase() throws Exception {
        RecordingWriter writer = await(RecordingWriter.class);
        RecordingCatalog catalog = await(RecordingCatalog.class);
        Instant start = Instant.parse("2026-11-26T09:00:00Z");
        Recording r = writer.open(new RecordingMetadata("it-call-1", List.of(), "2001", "alice", "+15550001", null,
                CallDirection.INBOUND, start, 2, IntegrationMode.SHORETEL_TAPI, "it-server", null));
        short[] tone = new short[160];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
        }
        for (long pos = 0; pos < 8000; pos += 160) {
            r.channel(0).pcm(pos, tone, 0, 160);
            r.channel(1).pcm(pos, tone, 0, 160);
        }
        r.close(RecordingStatus.COMPLETE, null);

        Path data = Path.of(context.getProperty("callrec.data"));
        Path wav = data.resolve("recordings/2026/11/26/" + r.id() + ".wav");
        assertTrue(wav + " exists", Files.exists(wav));
        assertTrue("embedded H2 catalog under data/catalog", Files.exists(data.resolve("catalog/callrec.mv.db")));

        Optional<RecordingEntry> entry = Optional.empty();
        for (int i = 0; i < 300 && (entry.isEmpty() || entry.get().status() != RecordingStatus.COMPLETE); i++) {
            Thread.sleep(100);
            entry = catalog.get(r.id());
        }
        assertTrue("catalogued as complete: " + entry, entry.isPresent() && entry.get().status() == RecordingStatus.COMPLETE);
        assertEquals(1000, entry.get().durationMillis());
        assertEquals(1, catalog.search(new RecordingQuery(null, null, "2001", null, null, null, null, null, null, 0, 10))
                .total());
        try (InputStream in = catalog.audio(r.id()).orElseThrow()) {
            ByteBuffer h = ByteBuffer.wrap(in.readNBytes(44)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals("RIFF", new String(h.array(), 0, 4, "US-ASCII"));
            assertEquals(2, h.getShort(22));
            assertEquals(8000, h.getInt(24));
            assertEquals(8000 * 4, h.getInt(40));
        }
        assertFalse(catalog.audio("../../etc/passwd").isPresent());

        await(HealthCheck.class);
        HealthReport health = null;
        for (var ref : context.getServiceReferences(HealthCheck.class, null)) {
            HealthReport h = context.getService(ref).check();
            health = "storage".equals(h.check()) ? h : health;
        }
        assertNotNull("a storage health check is registered", health);
        assertEquals(health.message(), HealthStatus.OK, health.status());

        assertTrue(catalog.delete(r.id()));
        assertFalse(Files.exists(wav));
        assertFalse(catalog.get(r.id()).isPresent());
    }
}
