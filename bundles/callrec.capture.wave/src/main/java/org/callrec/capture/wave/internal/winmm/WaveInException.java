package org.callrec.capture.wave.internal.winmm;

/** A waveIn function failed; the message names the function and the MMRESULT. */
public final class WaveInException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int result;

    /**
     * @param function the winmm function, e.g. {@code waveInOpen}
     * @param result its MMRESULT
     */
    public WaveInException(String function, int result) {
        super(function + " failed: " + MmResult.describe(result));
        this.result = result;
    }

    /** @return the MMRESULT */
    public int result() {
        return result;
    }
}
