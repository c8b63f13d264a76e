package org.callrec.capture.wave.internal.winmm;

import java.util.Arrays;

import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.audio.GapMarker;
import org.callrec.api.audio.PcmSink;

/** Keeps what a capture delivers and checks that it arrives as one gapless stream. */
final class CollectingSink implements PcmSink {
    private short[] audio = new short[0];
    private int length;
    int writes;

    @Override
    public synchronized void pcm(long pos, short[] samples, int offset, int n) {
        if (pos != length) {
            throw new AssertionError("audio not contiguous: write at " + pos + " after " + length);
        }
        if (audio.length < length + n) {
            audio = Arrays.copyOf(audio, Math.max(length + n, audio.length * 2));
        }
        System.arraycopy(samples, offset, audio, length, n);
        length += n;
        writes++;
        notifyAll();
    }

    @Override
    public void gap(GapMarker gap) {
        throw new AssertionError("a wave device delivers no gaps");
    }

    @Override
    public void dtmf(DtmfEvent event) {
    }

    synchronized short[] audio() {
        return Arrays.copyOf(audio, length);
    }

    /** Waits (for the pump thread) until this many samples arrived; fails after 10 s. */
    synchronized void awaitSamples(int n) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (length < n) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("only " + length + " of " + n + " samples arrived");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
