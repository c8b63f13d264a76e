package org.callrec.rtp.internal;

import java.util.List;

import org.callrec.api.health.HealthCheck;
import org.callrec.api.health.HealthReport;
import org.callrec.api.health.HealthStatus;
import org.callrec.api.rtp.AudioDecoder;
import org.callrec.api.rtp.DecoderFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * G.729 (static payload type 18) through the OS's bcg729. When the library is missing this says
 * so once (log and health check) and reports itself unavailable, so play-outs keep the payload raw;
 * it looks again now and then, and the console command {@code callrec:g729} looks at once.
 */
@Component(service = {DecoderFactory.class, HealthCheck.class}, configurationPid = "org.callrec.rtp.g729",
        property = {DecoderFactory.ENCODING_PROPERTY + "=G729", "osgi.command.scope=callrec",
                "osgi.command.function=g729"})
@Designate(ocd = G729Config.class)
public final class G729Decoders implements DecoderFactory, HealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(G729Decoders.class);
    static final String CHECK = "G.729 decoder (bcg729)";

    private volatile String library = Bcg729.DEFAULT_LIBRARY;
    private volatile long retryNanos = 30_000_000_000L;
    private volatile long nextProbe;
    private volatile String missing;
    private boolean warned;

    @Activate
    @Modified
    void configure(G729Config config) {
        library = config.library().isBlank() ? Bcg729.DEFAULT_LIBRARY : config.library().trim();
        retryNanos = Math.max(1, config.retrySeconds()) * 1_000_000_000L;
        probe();
    }

    /** Tries to load the library now. */
    synchronized boolean probe() {
        String why = Bcg729.bind(library);
        nextProbe = System.nanoTime() + retryNanos;
        if (why == null) {
            if (missing != null || !warned) {
                LOG.info("G.729 decoding through {} is available", library);
            }
            missing = null;
            warned = true;
            return true;
        }
        missing = why;
        if (!warned) {
            warned = true;
            LOG.warn("G.729 cannot be decoded here: {}. Install the OS package (Debian: libbcg729-0). "
                    + "Until then G.729 calls are kept raw and marked decode-pending; nothing is lost.", why);
        }
        return false;
    }

    @Override
    public String encoding() {
        return "G729";
    }

    @Override
    public boolean available() {
        if (Bcg729.bound()) {
            return true;
        }
        return System.nanoTime() - nextProbe >= 0 && probe();
    }

    @Override
    public AudioDecoder create() {
        if (!available()) {
            throw new IllegalStateException("G.729 decoder unavailable: " + missing);
        }
        return new G729Decoder();
    }

    @Override
    public HealthReport check() {
        if (Bcg729.bound()) {
            return new HealthReport(CHECK, HealthStatus.OK, "G.729 calls are decoded (" + library + ")", List.of(), null);
        }
        return new HealthReport(CHECK, HealthStatus.WARNING,
                "G.729 calls are kept raw (decode pending): " + missing,
                List.of("Install libbcg729-0 (Debian) or put bcg729.dll beside the runtime (Windows), then run "
                        + "'callrec:g729' in the shell or wait " + retryNanos / 1_000_000_000L + " s."),
                null);
    }

    /** Gogo command: looks for the library now and says what it found. */
    public String g729() {
        return probe() ? "G.729 decoding available (" + library + ")" : "G.729 decoding unavailable: " + missing;
    }
}
