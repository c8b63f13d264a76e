package org.callrec.api.audio;

/**
 * The one audio format recordings use: 8 kHz, signed 16-bit little-endian PCM, one channel per
 * direction in port-mirror mode, mono in TAPI/Wave mode.
 */
public final class AudioFormat {
    /** Samples per second. */
    public static final int SAMPLE_RATE = 8000;
    /** Samples per millisecond. */
    public static final int SAMPLES_PER_MS = SAMPLE_RATE / 1000;
    /** Bits per sample. */
    public static final int BITS_PER_SAMPLE = 16;
    /** Channel index of the recorded user's side. */
    public static final int USER_CHANNEL = 0;
    /** Channel index of the other party's side. */
    public static final int OTHER_PARTY_CHANNEL = 1;

    private AudioFormat() {
    }
}
