package org.callrec.storage.internal;

/** A deterministic test tone per recording and channel, so a sample's value proves its position. */
final class TestSignal {

    private TestSignal() {
    }

    static short sample(int recording, int channel, long position) {
        double hz = 200 + 7 * recording + 330 * channel;
        // never exactly 0, so silence (a gap) and signal are told apart
        return (short) (Math.round(9000 * Math.sin(2 * Math.PI * hz * position / 8000.0)) | 1);
    }

    static short[] block(int recording, int channel, long position, int length) {
        short[] s = new short[length];
        for (int i = 0; i < length; i++) {
            s[i] = sample(recording, channel, position + i);
        }
        return s;
    }
}
