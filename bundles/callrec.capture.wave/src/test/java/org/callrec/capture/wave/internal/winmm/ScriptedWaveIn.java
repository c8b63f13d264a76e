package org.callrec.capture.wave.internal.winmm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A waveIn device in memory that behaves like the driver: buffers are filled in the order they
 * were added, each with the next chunk of a source signal; the test decides when a buffer is
 * marked done (in order, several at once, out of order), when the callback event fires, and which
 * call fails with which MMRESULT.
 */
final class ScriptedWaveIn implements WaveInDevice, WaveInDriver {

    final List<String> calls = new ArrayList<>();
    final List<Buffer> queue = new ArrayList<>();
    final List<Buffer> prepared = new ArrayList<>();
    private final short[] source;
    private final Semaphore event = new Semaphore(0);
    private int nextSample;
    int failOpen;
    int failPrepareAt = -1;
    int failAddAfter = -1;
    int addFailure;
    boolean closed;
    int partialOnReset;

    ScriptedWaveIn(short[] source) {
        this.source = source;
    }

    final class Buffer implements WaveBuffer {
        final int capacity;
        final byte[] data;
        int from = -1;
        int recorded;
        volatile boolean done;
        boolean isPrepared = true;

        Buffer(int capacity) {
            this.capacity = capacity;
            this.data = new byte[capacity];
        }

        @Override
        public boolean done() {
            return done;
        }

        @Override
        public synchronized int bytesRecorded() {
            return recorded;
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public synchronized void read(byte[] dst, int length) {
            System.arraycopy(data, 0, dst, 0, length);
        }

        /** The driver writes the next stretch of the signal into it. */
        synchronized void fill(int bytes) {
            for (int i = 0; i < bytes / 2; i++) {
                short s = from + i < source.length ? source[from + i] : 0;
                data[2 * i] = (byte) s;
                data[2 * i + 1] = (byte) (s >> 8);
            }
            recorded = bytes;
        }
    }

    @Override
    public synchronized WaveInDevice open(int deviceId) throws WaveInException {
        calls.add("open " + deviceId);
        if (failOpen != 0) {
            throw new WaveInException("waveInOpen(device " + deviceId + ", 8 kHz 16-bit mono)", failOpen);
        }
        return this;
    }

    @Override
    public synchronized WaveBuffer prepare(int bytes) throws WaveInException {
        calls.add("prepare");
        if (prepared.size() == failPrepareAt) {
            throw new WaveInException("waveInPrepareHeader", MmResult.MMSYSERR_NOMEM);
        }
        Buffer b = new Buffer(bytes);
        prepared.add(b);
        return b;
    }

    @Override
    public synchronized void add(WaveBuffer buffer) throws WaveInException {
        calls.add("add");
        if (failAddAfter >= 0 && calls.stream().filter("add"::equals).count() > failAddAfter) {
            throw new WaveInException("waveInAddBuffer", addFailure);
        }
        Buffer b = (Buffer) buffer;
        if (!b.isPrepared) {
            throw new WaveInException("waveInAddBuffer", MmResult.WAVERR_UNPREPARED);
        }
        if (queue.contains(b)) {
            throw new IllegalStateException("buffer added twice");
        }
        b.done = false;
        b.recorded = 0;
        b.from = nextSample;
        nextSample += b.capacity / 2;
        queue.add(b);
    }

    @Override
    public synchronized void start() {
        calls.add("start");
    }

    @Override
    public boolean await(int millis) {
        try {
            return event.tryAcquire(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Marks the buffer at this queue index full and done (index 0: the oldest). */
    synchronized void complete(int index) {
        Buffer b = queue.remove(index);
        b.fill(b.capacity);
        b.done = true;
    }

    /** Marks the n oldest buffers done, in order. */
    synchronized void completeInOrder(int n) {
        for (int i = 0; i < n; i++) {
            complete(0);
        }
    }

    synchronized int queued() {
        return queue.size();
    }

    synchronized long count(String call) {
        return calls.stream().filter(call::equals).count();
    }

    void signal() {
        event.release();
    }

    @Override
    public synchronized void reset() {
        calls.add("reset");
        // The driver returns every queued buffer, the one being filled with what it holds so far.
        for (int i = 0; i < queue.size(); i++) {
            Buffer b = queue.get(i);
            b.fill(i == 0 ? partialOnReset : 0);
            b.done = true;
        }
        queue.clear();
    }

    @Override
    public synchronized void unprepare(WaveBuffer buffer) throws WaveInException {
        calls.add("unprepare");
        Buffer b = (Buffer) buffer;
        if (queue.contains(b)) {
            throw new WaveInException("waveInUnprepareHeader", MmResult.WAVERR_STILLPLAYING);
        }
        b.isPrepared = false;
    }

    @Override
    public synchronized void close() throws WaveInException {
        calls.add("close");
        if (prepared.stream().anyMatch(b -> b.isPrepared)) {
            throw new WaveInException("waveInClose", MmResult.WAVERR_STILLPLAYING);
        }
        closed = true;
    }

    synchronized List<String> callsSince(int from) {
        return new ArrayList<>(calls.subList(from, calls.size()));
    }
}
