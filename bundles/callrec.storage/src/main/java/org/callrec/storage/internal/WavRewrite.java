package org.callrec.storage.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.audio.GapMarker;
import org.callrec.api.audio.PcmSink;

/**
 * Puts decoded audio into an existing recording crash-safely: the WAV is copied to a temporary
 * file beside it, the decoded channel is written into the copy at its positions (the other
 * channel and any audio decoded live stay as they were), the header is fixed and the copy forced
 * to disk, and only then renamed over the original. A crash at any point leaves either the old or
 * the new file, never a mix; the raw payload is kept until the new file is in place.
 */
final class WavRewrite implements AutoCloseable {

    private final Path wav;
    private final Path tmp;
    private final int channels;
    private final FileChannel out;
    private final List<GapMarker> gaps = new ArrayList<>();
    private long frames;
    private boolean committed;

    WavRewrite(Path wav, int channels) throws IOException {
        this.wav = wav;
        this.channels = channels;
        this.tmp = temporary(wav);
        Files.deleteIfExists(tmp);
        if (Files.exists(wav)) {
            Files.copy(wav, tmp);
        }
        out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long size = out.size();
        frames = Math.max(0, size - WavFile.HEADER_BYTES) / (2L * channels);
        // a half frame at the end (cut by a crash before repair) is not audio
        out.truncate(WavFile.HEADER_BYTES + frames * 2L * channels);
    }

    static Path temporary(Path wav) {
        return wav.resolveSibling(wav.getFileName() + ".decoding");
    }

    /** A sink for one channel: its PCM is written into the copy; gaps are zeros and are collected. */
    PcmSink channel(int channel) {
        if (channel < 0 || channel >= channels) {
            throw new IllegalArgumentException("the recording has " + channels + " channel(s); no channel " + channel);
        }
        return new PcmSink() {
            @Override
            public void pcm(long samplePosition, short[] samples, int offset, int length) {
                try {
                    write(channel, samplePosition, samples, offset, length);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void gap(GapMarker gap) {
                gaps.add(gap);
                try {
                    long pos = gap.startSample();
                    short[] zeros = new short[8000];
                    for (long left = gap.samples(); left > 0;) {
                        int n = (int) Math.min(left, zeros.length);
                        write(channel, pos, zeros, 0, n);
                        pos += n;
                        left -= n;
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void dtmf(DtmfEvent event) {
                // raw payload carries audio only; DTMF was taken from telephone-event packets live
            }
        };
    }

    private void write(int channel, long position, short[] samples, int offset, int length) throws IOException {
        if (position < 0 || position + length > WavFile.MAX_FRAMES) {
            throw new IllegalArgumentException("decoded audio at sample " + position + " is outside a recording");
        }
        long end = position + length;
        if (end > frames) {
            // silence up to the end of the new audio in every channel, so the frames stay aligned
            long fill = (end - frames) * 2L * channels;
            writeFully(ByteBuffer.allocate((int) Math.min(fill, 1 << 20)), fill,
                    WavFile.HEADER_BYTES + frames * 2L * channels);
            frames = end;
        }
        // one channel of interleaved frames: a strided write, batched per call
        ByteBuffer buf = ByteBuffer.allocate(length * 2 * channels).order(ByteOrder.LITTLE_ENDIAN);
        long at = WavFile.HEADER_BYTES + position * 2L * channels;
        while (buf.hasRemaining() && out.read(buf, at + buf.position()) > 0) {
            // the copy's frames where this channel goes: the other channel's samples are kept
        }
        buf.clear();
        for (int i = 0; i < length; i++) {
            buf.putShort((i * channels + channel) * 2, samples[offset + i]);
        }
        writeFully(buf, buf.limit(), at);
    }

    private void writeFully(ByteBuffer chunk, long bytes, long at) throws IOException {
        long p = at;
        for (long left = bytes; left > 0;) {
            chunk.clear();
            chunk.limit((int) Math.min(left, chunk.capacity()));
            while (chunk.hasRemaining()) {
                int n = out.write(chunk, p);
                p += n;
                left -= n;
            }
        }
    }

    List<GapMarker> gaps() {
        return gaps;
    }

    long frames() {
        return frames;
    }

    /** Fixes the header, forces the copy to disk and renames it over the original. */
    void commit() throws IOException {
        ByteBuffer h = WavFile.header(channels, frames);
        long p = 0;
        while (h.hasRemaining()) {
            p += out.write(h, p);
        }
        out.force(true);
        out.close();
        try {
            Files.move(tmp, wav, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, wav, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
    }

    /** Without a commit the copy is deleted and the original left untouched. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            out.close();
            Files.deleteIfExists(tmp);
        }
    }
}
