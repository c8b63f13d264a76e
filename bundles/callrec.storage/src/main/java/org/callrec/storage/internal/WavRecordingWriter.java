package org.callrec.storage.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.callrec.api.health.HealthCheck;
import org.callrec.api.health.HealthReport;
import org.callrec.api.storage.Recording;
import org.callrec.api.storage.RecordingMetadata;
import org.callrec.api.storage.RecordingStatus;
import org.callrec.api.storage.RecordingWriter;
import org.callrec.api.storage.StorageException;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The recording writer and the storage health check. The catalog is optional and dynamic: without
 * it (database down, driver missing, being reconfigured) audio is still written and the entries
 * wait in the journal. A configuration change restarts the component: open recordings close as
 * interrupted, which is why the writer is configured once, not per call.
 */
@Component(immediate = true, configurationPid = "org.callrec.storage.writer",
        service = {RecordingWriter.class, HealthCheck.class, WavRecordingWriter.class})
@Designate(ocd = WriterConfig.class)
public final class WavRecordingWriter implements RecordingWriter, HealthCheck {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile CatalogStore catalog;

    private RecordingStore store;

    @Activate
    void activate(BundleContext context, WriterConfig config) throws IOException {
        Path root = RecordingPaths.recordingsRoot(context.getProperty("callrec.data"));
        store = new RecordingStore(root, new RecordingStore.Settings(config.flushIntervalMillis(),
                config.syncIntervalMillis(), config.minFreeMegabytes() * 1024 * 1024,
                config.catalogRetrySeconds() * 1000L), () -> catalog);
        store.start();
    }

    @Deactivate
    void deactivate() {
        store.close();
    }

    @Override
    public Recording open(RecordingMetadata metadata) throws StorageException {
        return store.open(metadata);
    }

    @Override
    public String skipped(RecordingMetadata metadata, RecordingStatus status, String reason) {
        return store.skipped(metadata, status, reason);
    }

    /** For the decoding of raw payload in this bundle (registered under this internal class, so only here). */
    RecordingStore store() {
        return store;
    }

    @Override
    public HealthReport check() {
        return store.health();
    }
}
