package org.callrec.rtp.internal;

/**
 * ITU-T G.711 expansion tables: every 8-bit code maps to one 16-bit linear sample, so decoding is
 * one table look-up per sample. Built from the segment/quantisation rules of the recommendation.
 */
final class G711 {

    /** μ-law code to linear sample. */
    static final short[] ULAW = new short[256];
    /** A-law code to linear sample. */
    static final short[] ALAW = new short[256];

    static {
        for (int i = 0; i < 256; i++) {
            ULAW[i] = ulaw(i);
            ALAW[i] = alaw(i);
        }
    }

    private G711() {
    }

    /** μ-law: codes are sent inverted; magnitude = ((mantissa << 3) + bias) << exponent, minus bias. */
    private static short ulaw(int code) {
        int u = ~code & 0xFF;
        int magnitude = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4);
        return (short) ((u & 0x80) != 0 ? 0x84 - magnitude : magnitude - 0x84);
    }

    /** A-law: even bits are inverted on the line (XOR 0x55); segment 0 is linear. */
    private static short alaw(int code) {
        int a = code ^ 0x55;
        int mantissa = (a & 0x0F) << 4;
        int segment = (a & 0x70) >> 4;
        int magnitude = segment == 0 ? mantissa + 8 : (mantissa + 0x108) << (segment - 1);
        return (short) ((a & 0x80) != 0 ? magnitude : -magnitude);
    }
}
