package org.callrec.capture.wave.internal.winmm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

import org.callrec.api.audio.PcmSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one waveIn device into a PCM sink: prepares TapiWaveBuffersPerDevice buffers, queues them
 * all, and each time the callback event fires hands the filled buffers to the sink in the order
 * they were queued (which is the audio's order) and queues them again. A buffer that completes
 * before an earlier one is held until the earlier one completes, so audio never comes out of
 * order; several completions behind one late event are delivered together. A device error ends the
 * capture: the device is reset, unprepared and closed, then the failure is reported once.
 *
 * <p>Samples are placed by count: the device delivers a gapless stream at 8 kHz, so the n-th
 * sample is at position n on the leg's clock.
 */
public final class WaveInCapture {

    /** 100 ms of 8 kHz 16-bit mono per buffer: with the default 4 buffers, 400 ms of slack. */
    public static final int BUFFER_BYTES = 1600;
    private static final int WAIT_MILLIS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(WaveInCapture.class);

    /**
     * Counters of one capture.
     *
     * @param buffers buffers delivered
     * @param samples samples delivered
     * @param heldOutOfOrder times a later buffer completed before the one ahead of it
     * @param allBuffersFull times every buffer was full at once (the device may have had none to fill)
     * @param oddBytes buffers that ended in half a sample (the byte was dropped)
     */
    public record Stats(long buffers, long samples, long heldOutOfOrder, long allBuffersFull, long oddBytes) {
    }

    private final WaveInDevice device;
    private final int bufferCount;
    private final int bufferBytes;
    private final PcmSink sink;
    private final Consumer<String> onFailure;
    private final String label;
    private final Deque<WaveBuffer> queue = new ArrayDeque<>();
    private final List<WaveBuffer> prepared = new ArrayList<>();
    private final Object lock = new Object();

    private volatile boolean running;
    private Thread pump;
    private boolean tornDown;
    private long position;
    private long buffersDelivered;
    private long heldOutOfOrder;
    private long allBuffersFull;
    private long oddBytes;
    private byte[] bytes = new byte[0];
    private short[] samples = new short[0];

    /**
     * @param device the open device
     * @param bufferCount TapiWaveBuffersPerDevice (at least 2)
     * @param bufferBytes bytes per buffer (even)
     * @param sink where the audio goes, positions from 0
     * @param onFailure told once, with the reason, when the device fails during the capture
     * @param label names the capture in logs and its thread
     */
    public WaveInCapture(WaveInDevice device, int bufferCount, int bufferBytes, PcmSink sink, Consumer<String> onFailure,
            String label) {
        if (bufferCount < 2) {
            throw new IllegalArgumentException("TapiWaveBuffersPerDevice must be greater than 1: " + bufferCount);
        }
        if (bufferBytes < 2 || bufferBytes % 2 != 0) {
            throw new IllegalArgumentException("a wave buffer must hold whole 16-bit samples: " + bufferBytes);
        }
        this.device = device;
        this.bufferCount = bufferCount;
        this.bufferBytes = bufferBytes;
        this.sink = sink;
        this.onFailure = onFailure;
        this.label = label;
    }

    /**
     * Prepares and queues the buffers and starts the device and the pump thread.
     *
     * @throws WaveInException if the device refuses; it is then unprepared and closed
     */
    public void start() throws WaveInException {
        synchronized (lock) {
            try {
                for (int i = 0; i < bufferCount; i++) {
                    prepared.add(device.prepare(bufferBytes));
                }
                for (WaveBuffer b : prepared) {
                    device.add(b);
                    queue.addLast(b);
                }
                device.start();
            } catch (WaveInException e) {
                teardown(true);
                throw e;
            }
            running = true;
        }
        pump = new Thread(this::pump, "callrec-wavein-" + label);
        pump.setDaemon(true);
        pump.start();
    }

    private void pump() {
        try {
            while (running) {
                device.await(WAIT_MILLIS);
                synchronized (lock) {
                    if (running) {
                        drain(true);
                    }
                }
            }
        } catch (WaveInException | RuntimeException e) {
            String reason = "wave device failed: " + (e instanceof WaveInException ? e.getMessage() : e.toString());
            boolean report;
            synchronized (lock) {
                report = running;
                running = false;
                teardown(true);
            }
            if (report) {
                LOG.warn("Wave capture {}: {}", label, reason);
                onFailure.accept(reason);
            }
        }
    }

    /** Under the lock: delivers done buffers from the head of the queue, in queue order. */
    private void drain(boolean requeue) throws WaveInException {
        int done = 0;
        for (WaveBuffer b : queue) {
            if (b.done()) {
                done++;
            }
        }
        if (done == 0) {
            return;
        }
        if (requeue && done == queue.size() && queue.size() == bufferCount) {
            allBuffersFull++;
        }
        while (!queue.isEmpty() && queue.peekFirst().done()) {
            WaveBuffer b = queue.pollFirst();
            deliver(b);
            done--;
            if (requeue) {
                device.add(b);
                queue.addLast(b);
            }
        }
        if (done > 0) {
            heldOutOfOrder++;
        }
    }

    private void deliver(WaveBuffer b) {
        int n = b.bytesRecorded();
        if ((n & 1) != 0) {
            oddBytes++;
            n--;
        }
        buffersDelivered++;
        if (n == 0) {
            return;
        }
        if (bytes.length < n) {
            bytes = new byte[n];
            samples = new short[n / 2];
        }
        b.read(bytes, n);
        int count = n / 2;
        for (int i = 0; i < count; i++) {
            samples[i] = (short) ((bytes[2 * i] & 0xff) | (bytes[2 * i + 1] << 8));
        }
        sink.pcm(position, samples, 0, count);
        position += count;
    }

    /**
     * Stops the capture in order: waveInReset (the device marks every queued buffer done), delivers
     * what they hold, unprepares every buffer, closes the device. Idempotent; safe from any thread.
     */
    public void stop() {
        running = false;
        Thread t = pump;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (lock) {
            if (tornDown) {
                return;
            }
            try {
                device.reset();
                drain(false);
            } catch (WaveInException e) {
                LOG.warn("Wave capture {}: {}", label, e.getMessage());
            }
            teardown(false);
        }
    }

    /** Under the lock: unprepares every buffer and closes the device, once. */
    private void teardown(boolean resetFirst) {
        if (tornDown) {
            return;
        }
        tornDown = true;
        if (resetFirst) {
            try {
                device.reset();
            } catch (WaveInException e) {
                LOG.warn("Wave capture {}: {}", label, e.getMessage());
            }
        }
        queue.clear();
        for (WaveBuffer b : prepared) {
            try {
                device.unprepare(b);
            } catch (WaveInException e) {
                LOG.warn("Wave capture {}: {}", label, e.getMessage());
            }
        }
        try {
            device.close();
        } catch (WaveInException e) {
            LOG.warn("Wave capture {}: {}", label, e.getMessage());
        }
    }

    /** @return the counters now */
    public Stats stats() {
        synchronized (lock) {
            return new Stats(buffersDelivered, position, heldOutOfOrder, allBuffersFull, oddBytes);
        }
    }
}
