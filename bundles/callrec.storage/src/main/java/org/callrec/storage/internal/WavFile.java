package org.callrec.storage.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.callrec.api.audio.AudioFormat;

/**
 * One RIFF/WAVE file (PCM, 16-bit, 8 kHz, 1 or 2 interleaved channels) written on the call's
 * sample clock. Samples are placed by position, so the channels may arrive independently and
 * missing stretches become silence. Audio is kept in a short in-memory window and committed to the
 * file by {@link #flush()}; the header's sizes always describe committed, complete frames only, so
 * a file cut short at any moment is repaired by {@link #repair(Path, int)} to its last complete frame.
 */
final class WavFile implements Closeable {

    static final int HEADER_BYTES = 44;

    /** Positions beyond this (24 h of audio) are not a call's clock but a broken timestamp. */
    static final long MAX_FRAMES = 24L * 3600 * AudioFormat.SAMPLE_RATE;

    /** The stereo channel that lags is given this long before its frames are committed (250 ms). */
    private static final int HOLD_BACK_FRAMES = AudioFormat.SAMPLE_RATE / 4;

    private static final int WINDOW_FRAMES = 2 * AudioFormat.SAMPLE_RATE;

    /** Zeros for a stretch of silence longer than the window (a long gap), written from here. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

    /**
     * Per thread (the capture thread and the flush ticker commit): the interleaved frames of one
     * commit, at most a whole stereo window. Direct, so the file write copies nothing more.
     */
    private static final ThreadLocal<ByteBuffer> SCRATCH = new ThreadLocal<>();

    private final FileChannel file;
    private final int channels;
    private final int frameBytes;
    /** Frames [committedFrames, committedFrames + WINDOW_FRAMES) per channel, a ring indexed by frame. */
    private final short[][] window;
    private final long[] channelEnd;
    private long committedFrames;
    private long headerFrames = -1;
    private volatile boolean closed;

    private WavFile(FileChannel file, int channels) {
        this.file = file;
        this.channels = channels;
        this.frameBytes = 2 * channels;
        this.window = new short[channels][WINDOW_FRAMES];
        this.channelEnd = new long[channels];
    }

    /** Creates the file (it must not exist) with an empty data chunk. */
    static WavFile create(Path path, int channels) throws IOException {
        if (channels != 1 && channels != 2) {
            throw new IllegalArgumentException("channels must be 1 or 2: " + channels);
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        WavFile wav = new WavFile(ch, channels);
        wav.writeHeader();
        return wav;
    }

    /** The canonical 44-byte header for {@code frames} frames of PCM. */
    static ByteBuffer header(int channels, long frames) {
        long dataBytes = frames * 2 * channels;
        if (dataBytes > 0xFFFF_FFFFL - 36) {
            throw new IllegalArgumentException("a WAV file cannot hold " + frames + " frames");
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) (36 + dataBytes)).put(new byte[] {'W', 'A', 'V', 'E'});
        b.put(new byte[] {'f', 'm', 't', ' '}).putInt(16).putShort((short) 1).putShort((short) channels)
                .putInt(AudioFormat.SAMPLE_RATE).putInt(AudioFormat.SAMPLE_RATE * 2 * channels)
                .putShort((short) (2 * channels)).putShort((short) AudioFormat.BITS_PER_SAMPLE);
        b.put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) dataBytes);
        return b.flip();
    }

    /**
     * Writes samples of one channel at their position on the call's clock.
     *
     * @throws IllegalArgumentException if the position is negative or impossibly far (broken timestamp)
     * @throws IOException if the file cannot be written
     */
    synchronized void write(int channel, long position, short[] samples, int offset, int length) throws IOException {
        checkRange(channel, position, length);
        // In chunks of at most half the window, so a chunk always fits once the window has slid
        while (length > 0) {
            int n = Math.min(length, WINDOW_FRAMES / 2);
            if (position >= committedFrames && position + n - committedFrames > WINDOW_FRAMES) {
                // Slide by a large step, as a flush would (a file read faster than real time, where the
                // ticker cannot keep up), but never past this write's own start
                commit(Math.max(position + n - WINDOW_FRAMES, Math.min(flushPoint(), position)));
            }
            if (position < committedFrames) {
                // Late audio for frames already in the file (the other channel ran ahead): patch them in place
                n = (int) Math.min(n, committedFrames - position);
                patch(channel, position, samples, offset, n);
            } else {
                short[] ring = window[channel];
                int at = slot(position);
                int first = Math.min(n, WINDOW_FRAMES - at);
                System.arraycopy(samples, offset, ring, at, first);
                System.arraycopy(samples, offset + first, ring, 0, n - first);
            }
            position += n;
            offset += n;
            length -= n;
            channelEnd[channel] = Math.max(channelEnd[channel], position);
        }
    }

    private static int slot(long frame) {
        return (int) (frame % WINDOW_FRAMES);
    }

    /** Marks {@code length} frames of one channel as silence (a gap): they stay zero, the channel's clock moves on. */
    synchronized void silence(int channel, long position, long length) throws IOException {
        checkRange(channel, position, length);
        long end = position + length;
        long from = Math.max(position, committedFrames);
        long to = Math.min(end, committedFrames + WINDOW_FRAMES);
        if (from < to) {
            int at = slot(from);
            int n = (int) (to - from);
            int first = Math.min(n, WINDOW_FRAMES - at);
            Arrays.fill(window[channel], at, at + first, (short) 0);
            Arrays.fill(window[channel], 0, n - first, (short) 0);
        }
        channelEnd[channel] = Math.max(channelEnd[channel], end);
    }

    private void checkRange(int channel, long position, long length) {
        if (closed) {
            throw new IllegalStateException("recording file is closed");
        }
        if (channel < 0 || channel >= channels) {
            throw new IllegalArgumentException("channel " + channel + " does not exist in a " + channels
                    + "-channel recording");
        }
        if (position < 0 || length < 0 || position + length > MAX_FRAMES) {
            throw new IllegalArgumentException("sample position " + position + " (+" + length
                    + ") is outside 0.." + MAX_FRAMES + " (24 h)");
        }
    }

    /** Commits audio to the file (keeping a short hold-back for a lagging channel) and brings the header up to date. */
    synchronized long flush() throws IOException {
        commit(flushPoint());
        writeHeader();
        return committedFrames;
    }

    /** Up to where a flush commits: every channel's audio, or all but the hold-back of a lagging channel. */
    private long flushPoint() {
        long max = 0;
        long min = Long.MAX_VALUE;
        for (long e : channelEnd) {
            max = Math.max(max, e);
            min = Math.min(min, e);
        }
        return Math.max(min, max - HOLD_BACK_FRAMES);
    }

    /**
     * Forces committed audio and header to the storage device. Not under the file's lock: an fsync
     * can take long and must not hold up the audio being written meanwhile.
     */
    void sync() throws IOException {
        if (closed) {
            return;
        }
        try {
            file.force(false);
        } catch (ClosedChannelException closedMeanwhile) {
            // close() forces the file itself
        }
    }

    /** @return frames in the file (committed) */
    synchronized long frames() {
        return committedFrames;
    }

    /** @return the furthest position any channel reached */
    synchronized long endFrames() {
        long max = committedFrames;
        for (long e : channelEnd) {
            max = Math.max(max, e);
        }
        return max;
    }

    /** Commits everything, writes the final header, syncs and closes. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            commit(endFrames());
            writeHeader();
            file.force(true);
        } finally {
            closed = true;
            file.close();
        }
    }

    /**
     * After a write failed (e.g. disk full): cuts the file back to its committed frames, writes a
     * header that matches, and closes. Needs no new space.
     */
    synchronized void abandon() throws IOException {
        if (closed) {
            return;
        }
        try {
            file.truncate(HEADER_BYTES + committedFrames * frameBytes);
            headerFrames = -1;
            writeHeader();
            file.force(true);
        } finally {
            closed = true;
            file.close();
        }
    }

    private void writeHeader() throws IOException {
        if (headerFrames == committedFrames) {
            return;
        }
        writeFully(header(channels, committedFrames), 0);
        headerFrames = committedFrames;
    }

    /** Writes frames [committed, upTo) to the file: window content, then zeros, and slides the window. */
    private void commit(long upTo) throws IOException {
        if (upTo <= committedFrames) {
            return;
        }
        long n = upTo - committedFrames;
        int fromWindow = (int) Math.min(n, WINDOW_FRAMES);
        ByteBuffer buf = scratch();
        int at = slot(committedFrames);
        for (int done = 0; done < fromWindow;) {
            int run = Math.min(fromWindow - done, WINDOW_FRAMES - at);
            short[] left = window[0];
            if (channels == 2) {
                short[] right = window[1];
                for (int i = at; i < at + run; i++) {
                    buf.putInt(left[i] & 0xFFFF | right[i] << 16); // little-endian: left sample, then right
                }
                Arrays.fill(right, at, at + run, (short) 0);
            } else {
                for (int i = at; i < at + run; i++) {
                    buf.putShort(left[i]);
                }
            }
            // the slots now hold frames a window later: they start as silence
            Arrays.fill(left, at, at + run, (short) 0);
            done += run;
            at = 0;
        }
        long pos = HEADER_BYTES + committedFrames * frameBytes;
        writeFully(buf.flip(), pos);
        pos += (long) fromWindow * frameBytes;
        long zeros = (n - fromWindow) * frameBytes;
        while (zeros > 0) {
            ByteBuffer z = ZEROS.duplicate();
            z.limit((int) Math.min(zeros, z.capacity()));
            int w = z.remaining();
            writeFully(z, pos);
            pos += w;
            zeros -= w;
        }
        committedFrames = upTo;
    }

    private static ByteBuffer scratch() {
        ByteBuffer b = SCRATCH.get();
        if (b == null) {
            b = ByteBuffer.allocateDirect(WINDOW_FRAMES * 4).order(ByteOrder.LITTLE_ENDIAN);
            SCRATCH.set(b);
        }
        return b.clear();
    }

    /** Read-modify-write of one channel in frames already committed. */
    private void patch(int channel, long position, short[] samples, int offset, int length) throws IOException {
        long pos = HEADER_BYTES + position * frameBytes;
        ByteBuffer buf = ByteBuffer.allocate(length * frameBytes).order(ByteOrder.LITTLE_ENDIAN);
        if (channels > 1) {
            while (buf.hasRemaining()) {
                if (file.read(buf, pos + buf.position()) < 0) {
                    break;
                }
            }
        }
        for (int i = 0; i < length; i++) {
            buf.putShort((i * channels + channel) * 2, samples[offset + i]);
        }
        buf.clear();
        writeFully(buf, pos);
    }

    private void writeFully(ByteBuffer buf, long position) throws IOException {
        long p = position;
        while (buf.hasRemaining()) {
            p += file.write(buf, p);
        }
    }

    /**
     * Repairs a file left open by a crash: cuts it to its last complete frame and writes a header
     * whose sizes match. A file too short to hold a header gets an empty one.
     *
     * @param path the file
     * @param channels the recording's channel count
     * @return the frames the file holds after repair
     */
    static long repair(Path path, int channels) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long size = ch.size();
            int frameBytes = 2 * channels;
            long frames = Math.max(0, size - HEADER_BYTES) / frameBytes;
            frames = Math.min(frames, (0xFFFF_FFFFL - 36) / frameBytes);
            ch.truncate(HEADER_BYTES + frames * frameBytes);
            ByteBuffer h = header(channels, frames);
            long p = 0;
            while (h.hasRemaining()) {
                p += ch.write(h, p);
            }
            ch.force(true);
            return frames;
        }
    }
}
