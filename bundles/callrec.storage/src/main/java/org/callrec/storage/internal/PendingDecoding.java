package org.callrec.storage.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.callrec.api.audio.AudioFormat;
import org.callrec.api.audio.GapMarker;
import org.callrec.api.rtp.PlayoutFactory;
import org.callrec.api.storage.PendingDecoder;
import org.callrec.api.storage.RecordingEntry;
import org.callrec.api.storage.RecordingStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes decode-pending recordings: each raw payload file is decoded by the RTP bundle exactly as
 * the live play-out would have, into a crash-safe rewrite of the WAV ({@link WavRewrite}); then
 * the entry becomes complete (journal first, then the catalog) and only then are the raw files
 * deleted. A crash anywhere leaves the recording decode-pending with its raw files, and decoding
 * it again gives the same file.
 */
final class PendingDecoding implements PendingDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(PendingDecoding.class);

    private final RecordingStore store;
    private final Supplier<PlayoutFactory> playouts;
    private final Predicate<String> codecAvailable;

    /**
     * @param store the recordings
     * @param playouts the RTP bundle's play-out factory, or null while it is not running
     * @param codecAvailable whether an encoding (upper case) can be decoded here now
     */
    PendingDecoding(RecordingStore store, Supplier<PlayoutFactory> playouts, Predicate<String> codecAvailable) {
        this.store = store;
        this.playouts = playouts;
        this.codecAvailable = codecAvailable;
    }

    @Override
    public synchronized RecordingEntry decode(String id) throws IOException {
        if (!RecordingPaths.isValidId(id)) {
            throw new IllegalArgumentException("not a recording id: '" + id + "'");
        }
        RecordingEntry e;
        try {
            e = store.entry(id).orElseThrow(() -> new IllegalArgumentException("no recording " + id));
        } catch (SQLException x) {
            throw new IOException("recording " + id + " cannot be looked up: " + x.getMessage(), x);
        }
        if (e.status() != RecordingStatus.DECODE_PENDING) {
            throw new IllegalArgumentException("recording " + id + " is " + e.status().id() + ", not decode-pending");
        }
        PlayoutFactory factory = playouts.get();
        if (factory == null) {
            throw new IllegalStateException("the RTP bundle (callrec.rtp), which decodes codec payload, is not running");
        }
        List<Path> raws = store.paths().raw(id);
        if (raws.isEmpty()) {
            throw new IOException("recording " + id + " is decode-pending but has no raw payload file beside "
                    + store.paths().wav(id));
        }
        for (Path raw : raws) {
            // the file name names the codec: no need to read a large file to learn it cannot be decoded yet
            String encoding = RecordingPaths.rawEncoding(raw);
            if (!codecAvailable.test(encoding)) {
                throw new IllegalStateException(encoding + " still cannot be decoded here (recording " + id
                        + "); install its decoder (G.729: Debian package libbcg729-0)");
            }
        }
        List<RawPayloadFile> files = new ArrayList<>();
        for (Path raw : raws) {
            RawPayloadFile f = RawPayloadFile.read(raw);
            if (!codecAvailable.test(f.encoding())) {
                throw new IllegalStateException(f.encoding() + " still cannot be decoded here (recording " + id
                        + "); install its decoder (G.729: Debian package libbcg729-0)");
            }
            files.add(f);
        }
        Map<String, Long> counters = new LinkedHashMap<>(e.counters());
        List<GapMarker> gaps = new ArrayList<>(e.gaps());
        long frames;
        try (WavRewrite wav = new WavRewrite(store.paths().wav(id), e.metadata().channels())) {
            for (int i = 0; i < raws.size(); i++) {
                RawPayloadFile f = files.get(i);
                try {
                    factory.decodeRaw(f.encoding(), RecordingPaths.rawChannel(raws.get(i)), f.payloads(),
                            wav.channel(RecordingPaths.rawChannel(raws.get(i))));
                } catch (UncheckedIOException x) {
                    throw x.getCause();
                }
                if (f.truncatedBytes() > 0) {
                    // the tail a crash cut off never reached the disk; what did is decoded
                    counters.merge("raw.truncated.bytes", f.truncatedBytes(), Long::sum);
                    LOG.warn("Recording {}: {} ends with an incomplete payload record ({} bytes), left out", id,
                            raws.get(i).getFileName(), f.truncatedBytes());
                }
                counters.merge("raw.decoded.payloads", (long) f.payloads().size(), Long::sum);
            }
            for (GapMarker g : wav.gaps()) {
                if (!gaps.contains(g)) {
                    gaps.add(g);
                }
            }
            wav.commit();
            frames = wav.frames();
        }
        RecordingEntry done = new RecordingEntry(id, e.metadata(), e.end(), frames / AudioFormat.SAMPLES_PER_MS,
                RecordingStatus.COMPLETE, null, e.codecs(), counters, gaps, e.dtmf(), e.legalHold());
        store.replace(done);
        for (Path raw : raws) {
            Files.deleteIfExists(raw);
        }
        LOG.info("Recording {} decoded from raw {} payload: complete ({} ms)", id,
                files.stream().map(RawPayloadFile::encoding).distinct().toList(), done.durationMillis());
        return done;
    }

    @Override
    public synchronized List<String> decodeAll() {
        List<String> done = new ArrayList<>();
        for (RecordingEntry e : store.decodePending()) {
            try {
                decode(e.id());
                done.add(e.id());
            } catch (IllegalStateException x) {
                LOG.debug("Recording {} stays decode-pending: {}", e.id(), x.getMessage());
            } catch (IOException | RuntimeException x) {
                LOG.error("Recording {} stays decode-pending: decoding failed: {}", e.id(), x.toString());
            }
        }
        return done;
    }
}
