package org.callrec.capture.wave.internal.winmm;

/** One prepared WAVEHDR and its data block, as the capture above the binding sees it. */
public interface WaveBuffer {

    /** @return true once the device has filled it (WHDR_DONE) */
    boolean done();

    /** @return the bytes the device put in it (dwBytesRecorded) */
    int bytesRecorded();

    /** @return its capacity in bytes (dwBufferLength) */
    int capacity();

    /**
     * Copies recorded bytes out.
     *
     * @param dst destination
     * @param length bytes to copy, at most {@link #bytesRecorded()}
     */
    void read(byte[] dst, int length);
}
