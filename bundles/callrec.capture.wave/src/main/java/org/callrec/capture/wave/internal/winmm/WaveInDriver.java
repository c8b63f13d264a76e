package org.callrec.capture.wave.internal.winmm;

/** Opens waveIn devices (waveInOpen, 8 kHz 16-bit mono, CALLBACK_EVENT). */
public interface WaveInDriver {

    /**
     * @param deviceId the waveIn device id (from lineGetID "wave/in")
     * @return the open device
     * @throws WaveInException if it cannot be opened
     */
    WaveInDevice open(int deviceId) throws WaveInException;
}
