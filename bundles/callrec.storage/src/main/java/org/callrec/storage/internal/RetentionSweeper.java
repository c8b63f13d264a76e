package org.callrec.storage.internal;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs retention on a schedule against the catalog. */
@Component(immediate = true, configurationPid = "org.callrec.storage.retention", service = {})
@Designate(ocd = RetentionConfig.class)
public final class RetentionSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweeper.class);

    @Reference
    private CatalogStore catalog;

    private ScheduledExecutorService timer;

    @Activate
    void activate(BundleContext context, RetentionConfig config) {
        Retention retention = new Retention(catalog,
                new RecordingPaths(RecordingPaths.recordingsRoot(context.getProperty("callrec.data"))),
                config.retentionDays());
        if (config.retentionDays() == 0) {
            LOG.info("Retention: recordings are kept forever (org.callrec.storage.retention retentionDays=0)");
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "callrec-storage-retention");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                retention.sweep(Instant.now());
            } catch (Exception e) {
                LOG.warn("Retention sweep failed, retried in {} min: {}", config.sweepIntervalMinutes(), e.getMessage());
            }
        }, 1, config.sweepIntervalMinutes() * 60L, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
