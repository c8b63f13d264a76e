package org.callrec.storage.internal;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.callrec.api.rtp.DecoderFactory;
import org.callrec.api.rtp.PlayoutFactory;
import org.callrec.api.storage.PendingDecoder;
import org.callrec.api.storage.RecordingEntry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes decode-pending recordings when their codec becomes available (checked every interval:
 * a decoder's availability changes without a service event, e.g. when libbcg729 is installed), and
 * on demand from the console or the shell ({@code callrec:decodepending [id]}).
 */
@Component(immediate = true, configurationPid = "org.callrec.storage.decodepending",
        property = {"osgi.command.scope=callrec", "osgi.command.function=decodepending"})
@Designate(ocd = PendingDecodeConfig.class)
public final class PendingDecodes implements PendingDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(PendingDecodes.class);

    @Reference
    private WavRecordingWriter writer;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PlayoutFactory playouts;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<DecoderFactory> decoders;

    private PendingDecoding decoding;
    private ScheduledExecutorService checker;

    @Activate
    void activate(PendingDecodeConfig config) {
        decoding = new PendingDecoding(writer.store(), () -> playouts, this::available);
        checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "callrec-decode-pending");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(5, config.checkSeconds());
        checker.scheduleWithFixedDelay(this::check, every, every, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        checker.shutdownNow();
    }

    private boolean available(String encoding) {
        for (DecoderFactory f : decoders) {
            if (f.encoding().toUpperCase(Locale.ROOT).equals(encoding)) {
                return f.available();
            }
        }
        return false;
    }

    private void check() {
        try {
            List<String> done = decoding.decodeAll();
            if (!done.isEmpty()) {
                LOG.info("Decoded {} decode-pending recording(s) now that their codec is available", done.size());
            }
        } catch (RuntimeException e) {
            LOG.error("Looking for decode-pending recordings failed", e);
        }
    }

    @Override
    public RecordingEntry decode(String id) throws IOException {
        return decoding.decode(id);
    }

    @Override
    public List<String> decodeAll() {
        return decoding.decodeAll();
    }

    /** Gogo command: decodes every decode-pending recording whose codec is available and says what it did. */
    public String decodepending() {
        List<String> done = decodeAll();
        int left = writer.store().decodePending().size();
        return "decoded " + done.size() + " recording(s)" + (done.isEmpty() ? "" : " " + done) + "; " + left
                + " still decode-pending" + (left == 0 ? "" : " (codec unavailable or failed: see the log)");
    }

    /** Gogo command: decodes one recording. */
    public String decodepending(String id) {
        try {
            RecordingEntry e = decode(id);
            return "recording " + id + " decoded: " + e.status().id() + " (" + e.durationMillis() + " ms)";
        } catch (IOException | RuntimeException e) {
            return "recording " + id + " not decoded: " + e.getMessage();
        }
    }
}
