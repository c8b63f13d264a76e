package org.callrec.storage.internal;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.callrec.api.audio.AudioFormat;
import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.audio.GapMarker;
import org.callrec.api.audio.PcmSink;
import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.storage.RawPayloadSink;
import org.callrec.api.storage.Recording;
import org.callrec.api.storage.RecordingEntry;
import org.callrec.api.storage.RecordingMetadata;
import org.callrec.api.storage.RecordingStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A recording being written: the WAV file, the facts learnt on the way (gaps, DTMF, codecs,
 * counters) and its life cycle. Bad input (unknown channel, impossible position) is refused with
 * a log line and counted in the entry's counters; it never stops the rest of the recording.
 */
final class OpenRecording implements Recording {

    private static final Logger LOG = LoggerFactory.getLogger(OpenRecording.class);

    private final String id;
    private final RecordingMetadata metadata;
    private final WavFile wav;
    private final Path wavPath;
    private final RecordingStore store;
    private final Sink[] sinks;
    private final List<GapMarker> gaps = new ArrayList<>();
    private final List<DtmfEvent> dtmf = new ArrayList<>();
    private final Set<String> codecs = new LinkedHashSet<>();
    private final Map<String, Long> counters = new LinkedHashMap<>();
    private final Map<Integer, RawStore> raw = new LinkedHashMap<>();
    private long changes;
    private long journaledChanges;
    private RecordingStatus finalStatus;

    OpenRecording(String id, RecordingMetadata metadata, WavFile wav, Path wavPath, RecordingStore store) {
        this.id = id;
        this.metadata = metadata;
        this.wav = wav;
        this.wavPath = wavPath;
        this.store = store;
        this.sinks = new Sink[metadata.channels()];
        for (int c = 0; c < sinks.length; c++) {
            sinks[c] = new Sink(c);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public RecordingMetadata metadata() {
        return metadata;
    }

    WavFile wav() {
        return wav;
    }

    @Override
    public PcmSink channel(int channel) {
        if (channel < 0 || channel >= sinks.length) {
            throw new IllegalArgumentException("recording " + id + " has " + sinks.length + " channel(s); no channel "
                    + channel);
        }
        return sinks[channel];
    }

    @Override
    public synchronized RawPayloadSink raw(int channel, PayloadFormat format) {
        channel(channel);
        RawStore r = raw.get(channel);
        if (r == null) {
            Path p = wavPath.resolveSibling(id + ".ch" + channel + "." + format.encoding().toLowerCase(Locale.ROOT) + ".raw");
            try {
                r = new RawStore(p, format);
            } catch (IOException e) {
                throw new IllegalStateException("cannot store raw " + format.encoding() + " payload of recording " + id
                        + " in " + p + ": " + e.getMessage(), e);
            }
            raw.put(channel, r);
            codecs.add(format.encoding());
            changes++;
        }
        return r;
    }

    @Override
    public synchronized void annotate(String key, String value) {
        if (key == null || value == null) {
            reject("annotation.rejected", "annotation with a null key or value (" + key + "=" + value + ")");
        } else if (key.equals("codec")) {
            codecs.add(value);
            changes++;
        } else {
            try {
                counters.put(key, Long.parseLong(value.trim()));
                changes++;
            } catch (NumberFormatException e) {
                reject("annotation.rejected", "annotation '" + key + "' needs a whole number, got '" + value + "'");
            }
        }
    }

    @Override
    public void close(RecordingStatus status, String reason) {
        store.finish(this, status == null ? RecordingStatus.COMPLETE : status, reason);
    }

    /** @return true the first time: the caller then closes the file */
    synchronized boolean markFinal(RecordingStatus status) {
        if (finalStatus != null) {
            return false;
        }
        finalStatus = status;
        for (RawStore r : raw.values()) {
            r.close();
        }
        return true;
    }

    /** Pushes buffered raw payload to its file, on the same policy as the audio. */
    synchronized void flushRaw() throws IOException {
        if (finalStatus == null) {
            for (RawStore r : raw.values()) {
                r.flush();
            }
        }
    }

    synchronized boolean isFinal() {
        return finalStatus != null;
    }

    synchronized boolean usedRaw() {
        return !raw.isEmpty();
    }

    /**
     * Saves the running state to the journal when gaps, DTMF or annotations changed, unless the
     * recording closed meanwhile (its final entry must never be overwritten by a running one).
     */
    synchronized void journalRunning(RecordingJournal journal) throws IOException {
        if (finalStatus == null && changes != journaledChanges) {
            journaledChanges = changes;
            journal.save(snapshot(RecordingStatus.RECORDING, null, null));
        }
    }

    synchronized RecordingEntry snapshot(RecordingStatus status, String reason, Instant end) {
        long frames = wav.endFrames();
        return new RecordingEntry(id, metadata, end, frames / AudioFormat.SAMPLES_PER_MS, status, reason,
                new ArrayList<>(codecs), counters, gaps, dtmf, false);
    }

    private synchronized void reject(String counter, String message) {
        long n = counters.merge(counter, 1L, Long::sum);
        changes++;
        if (n == 1 || n % 1000 == 0) {
            LOG.warn("Recording {}: refused {} (refused so far: {})", id, message, n);
        }
    }

    private final class Sink implements PcmSink {
        private final int channel;

        Sink(int channel) {
            this.channel = channel;
        }

        @Override
        public void pcm(long samplePosition, short[] samples, int offset, int length) {
            if (isFinal()) {
                reject("samples.after-close", length + " samples for channel " + channel + " after the recording closed");
                return;
            }
            if (samples == null || offset < 0 || length < 0 || offset + length > samples.length) {
                reject("pcm.rejected", "PCM buffer bounds offset=" + offset + " length=" + length + " for channel "
                        + channel);
                return;
            }
            try {
                wav.write(channel, samplePosition, samples, offset, length);
            } catch (IllegalArgumentException | IllegalStateException e) {
                reject("pcm.rejected", e.getMessage());
            } catch (IOException e) {
                store.writeFailed(OpenRecording.this, e);
            }
        }

        @Override
        public void gap(GapMarker gap) {
            if (gap == null || gap.channel() != channel) {
                reject("gap.rejected", "gap marker " + gap + " given to channel " + channel);
                return;
            }
            try {
                wav.silence(channel, gap.startSample(), gap.samples());
                synchronized (OpenRecording.this) {
                    gaps.add(gap);
                    changes++;
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                reject("gap.rejected", e.getMessage());
            } catch (IOException e) {
                store.writeFailed(OpenRecording.this, e);
            }
        }

        @Override
        public void dtmf(DtmfEvent event) {
            if (event == null || event.channel() != channel) {
                reject("dtmf.rejected", "DTMF event " + event + " given to channel " + channel);
                return;
            }
            synchronized (OpenRecording.this) {
                dtmf.add(event);
                changes++;
            }
        }
    }

    /**
     * Undecodable payload, kept losslessly with its position: a small header naming the format,
     * then per payload its sample position (8 bytes), length (2 bytes) and bytes, big-endian.
     */
    private final class RawStore implements RawPayloadSink {
        private final DataOutputStream out;

        RawStore(Path path, PayloadFormat format) throws IOException {
            OutputStream os = Files.newOutputStream(path);
            out = new DataOutputStream(new BufferedOutputStream(os));
            out.writeBytes("CALLREC-RAW1 ");
            out.writeUTF(format.encoding() + "/" + format.clockRate() + " pt=" + format.payloadType()
                    + (format.fmtp().isEmpty() ? "" : " " + format.fmtp()));
        }

        @Override
        public void payload(long samplePosition, byte[] payload, int offset, int length) {
            if (samplePosition < 0 || payload == null || offset < 0 || length < 0 || length > 0xFFFF
                    || offset + length > payload.length) {
                reject("raw.rejected", "raw payload at " + samplePosition + " offset=" + offset + " length=" + length);
                return;
            }
            IOException failure = null;
            synchronized (this) {
                try {
                    out.writeLong(samplePosition);
                    out.writeShort(length);
                    out.write(payload, offset, length);
                } catch (IOException e) {
                    failure = e;
                }
            }
            // outside this store's lock: closing the recording takes the recording's lock, then this one's
            if (failure != null) {
                store.writeFailed(OpenRecording.this, failure);
            }
        }

        synchronized void flush() throws IOException {
            out.flush();
        }

        synchronized void close() {
            try {
                out.close();
            } catch (IOException e) {
                LOG.error("Recording {}: closing its raw payload file failed: {}", id, e.getMessage());
            }
        }
    }
}
