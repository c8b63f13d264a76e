package org.callrec.capture.wave.internal.winmm;

import static org.callrec.capture.wave.internal.routepoint.Await.waitFor;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WaveInCaptureTest {

    static final int BYTES = 160; // 10 ms per buffer keeps the tests small
    static final int SAMPLES = BYTES / 2;

    private final short[] source = signal(SAMPLES * 64);
    private final ScriptedWaveIn device = new ScriptedWaveIn(source);
    private final CollectingSink sink = new CollectingSink();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private WaveInCapture capture;

    static short[] signal(int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) (i * 37 - 20000); // every sample different, both signs, both bytes used
        }
        return s;
    }

    private WaveInCapture start(int buffers) throws WaveInException {
        capture = new WaveInCapture(device, buffers, BYTES, sink, failures::add, "test");
        capture.start();
        return capture;
    }

    @AfterEach
    void stop() {
        if (capture != null) {
            capture.stop();
        }
    }

    @Test
    void buffersAreQueuedRecycledAsTheyFillAndDeliveredAsOneStream() throws Exception {
        start(4);
        assertEquals(List.of("prepare", "prepare", "prepare", "prepare", "add", "add", "add", "add", "start"),
                device.callsSince(0));
        for (int i = 1; i <= 16; i++) {
            device.completeInOrder(1);
            device.signal();
            sink.awaitSamples(i * SAMPLES);
        }
        assertArrayEquals(Arrays.copyOf(source, 16 * SAMPLES), sink.audio());
        waitFor(() -> device.queued() == 4); // the pump re-queues right after delivering
        assertEquals(4 + 16, device.count("add"), "each filled buffer is re-queued");
        assertEquals(4, device.prepared.size(), "no buffer is prepared twice");

        int mark = device.calls.size();
        capture.stop();
        assertEquals(List.of("reset", "unprepare", "unprepare", "unprepare", "unprepare", "close"),
                device.callsSince(mark));
        assertTrue(device.closed);
        assertTrue(failures.isEmpty());
    }

    @Test
    void severalCompletionsBehindOneLateEventComeOutInOrder() throws Exception {
        start(4);
        device.completeInOrder(3);
        device.signal();
        sink.awaitSamples(3 * SAMPLES);
        waitFor(() -> device.queued() == 4);
        device.completeInOrder(4); // every buffer full before the event: the device may have had none
        device.signal();
        sink.awaitSamples(7 * SAMPLES);
        assertArrayEquals(Arrays.copyOf(source, 7 * SAMPLES), sink.audio());
        assertEquals(1, capture.stats().allBuffersFull());
        assertEquals(7, capture.stats().buffers());
    }

    @Test
    void aBufferCompletingBeforeTheOneAheadOfItIsHeldUntilThatOneCompletes() throws Exception {
        start(4);
        device.complete(1); // the second-oldest finishes first
        device.signal();
        waitFor(() -> capture.stats().heldOutOfOrder() == 1);
        assertEquals(0, sink.audio().length, "nothing is delivered out of order");
        device.complete(0);
        device.signal();
        sink.awaitSamples(2 * SAMPLES);
        assertArrayEquals(Arrays.copyOf(source, 2 * SAMPLES), sink.audio());
        waitFor(() -> device.queued() == 4);
        device.completeInOrder(2);
        device.signal();
        sink.awaitSamples(4 * SAMPLES);
        assertArrayEquals(Arrays.copyOf(source, 4 * SAMPLES), sink.audio());
    }

    @Test
    void aDeviceErrorEndsTheCaptureInOrderAndIsReportedOnce() throws Exception {
        device.failAddAfter = 4;
        device.addFailure = MmResult.MMSYSERR_NODRIVER;
        start(4);
        device.completeInOrder(1);
        device.signal();
        waitFor(() -> !failures.isEmpty());
        assertEquals(List.of("wave device failed: waveInAddBuffer failed: MMSYSERR_NODRIVER (6)"), failures);
        assertArrayEquals(Arrays.copyOf(source, SAMPLES), sink.audio(), "audio before the error is kept");
        waitFor(() -> device.closed);
        List<String> tail = device.callsSince(device.calls.lastIndexOf("add") + 1);
        assertEquals(List.of("reset", "unprepare", "unprepare", "unprepare", "unprepare", "close"), tail);
        int mark = device.calls.size();
        capture.stop();
        assertEquals(mark, device.calls.size(), "stop after the failure does nothing more");
        assertEquals(1, failures.size());
    }

    @Test
    void stopDeliversWhatTheResetReturnsThenUnpreparesAndCloses() throws Exception {
        device.partialOnReset = 40;
        start(4);
        device.completeInOrder(2);
        device.signal();
        sink.awaitSamples(2 * SAMPLES);
        capture.stop();
        assertArrayEquals(Arrays.copyOf(source, 2 * SAMPLES + 20), sink.audio(),
                "the partly filled buffer's 20 samples are kept");
        assertTrue(device.closed);
    }

    @Test
    void aFailedStartReleasesWhatWasPrepared() {
        device.failPrepareAt = 2;
        WaveInException e = assertThrows(WaveInException.class, () -> start(4));
        assertEquals("waveInPrepareHeader failed: MMSYSERR_NOMEM (7)", e.getMessage());
        assertEquals(List.of("prepare", "prepare", "prepare", "reset", "unprepare", "unprepare", "close"),
                device.callsSince(0));
        assertTrue(device.closed);
        capture = null;
    }

    @Test
    void buffersPerDeviceMustBeGreaterThanOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WaveInCapture(device, 1, BYTES, sink, failures::add, "x"));
        assertTrue(e.getMessage().contains("TapiWaveBuffersPerDevice"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WaveInCapture(device, 4, 161, sink, failures::add, "x"));
    }

    @Test
    void mmresultsAreNamed() {
        assertEquals("MMSYSERR_ALLOCATED (4)", MmResult.describe(4));
        assertEquals("WAVERR_STILLPLAYING (33)", MmResult.describe(33));
        assertEquals("unknown MMRESULT (999)", MmResult.describe(999));
    }
}
