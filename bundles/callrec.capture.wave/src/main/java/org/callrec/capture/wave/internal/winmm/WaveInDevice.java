package org.callrec.capture.wave.internal.winmm;

/**
 * One waveIn device opened for 8 kHz 16-bit mono PCM with an event callback (CALLBACK_EVENT). The
 * winmm binding implements it on Windows; tests use a scripted stand-in that fills buffers.
 */
public interface WaveInDevice {

    /**
     * Allocates a buffer and prepares its header (waveInPrepareHeader).
     *
     * @param bytes buffer size in bytes
     * @return the prepared buffer
     * @throws WaveInException if the device refuses
     */
    WaveBuffer prepare(int bytes) throws WaveInException;

    /**
     * Gives a prepared buffer to the device to fill (waveInAddBuffer), clearing its done flag and
     * byte count first.
     *
     * @param buffer the buffer
     * @throws WaveInException if the device refuses (e.g. it was removed)
     */
    void add(WaveBuffer buffer) throws WaveInException;

    /**
     * Starts recording (waveInStart).
     *
     * @throws WaveInException if the device refuses
     */
    void start() throws WaveInException;

    /**
     * Waits for the callback event: signalled when a buffer is done (or the device opened/closed).
     *
     * @param millis most time to wait
     * @return true if signalled, false on timeout
     */
    boolean await(int millis);

    /**
     * Stops recording and marks every queued buffer done (waveInReset).
     *
     * @throws WaveInException if the device refuses
     */
    void reset() throws WaveInException;

    /**
     * Unprepares a buffer (waveInUnprepareHeader) and frees it.
     *
     * @param buffer a buffer that is not in the queue
     * @throws WaveInException if the device refuses
     */
    void unprepare(WaveBuffer buffer) throws WaveInException;

    /**
     * Closes the device (waveInClose) and the callback event.
     *
     * @throws WaveInException if the device refuses
     */
    void close() throws WaveInException;
}
