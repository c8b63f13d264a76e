package org.callrec.rtp.internal;

import org.callrec.api.rtp.AudioDecoder;

/** A stateless G.711 decoder: one table look-up per byte; loss is filled with silence. */
final class G711Decoder implements AudioDecoder {

    private final String encoding;
    private final short[] table;

    G711Decoder(String encoding, short[] table) {
        this.encoding = encoding;
        this.table = table;
    }

    @Override
    public String encoding() {
        return encoding;
    }

    @Override
    public int decode(byte[] payload, int offset, int length, short[] out, int outOffset) {
        if (offset < 0 || length < 0 || offset + length > payload.length || outOffset + length > out.length) {
            throw new IllegalArgumentException(encoding + ": payload of " + length + " bytes at " + offset
                    + " does not fit (buffer " + payload.length + ", output room " + (out.length - outOffset) + ")");
        }
        short[] t = table;
        for (int i = 0; i < length; i++) {
            out[outOffset + i] = t[payload[offset + i] & 0xFF];
        }
        return length;
    }

    @Override
    public int conceal(short[] out, int outOffset, int samples) {
        java.util.Arrays.fill(out, outOffset, outOffset + samples, (short) 0);
        return samples;
    }

    @Override
    public int samplesIn(int length) {
        return length;
    }

    @Override
    public void close() {
        // no native state
    }
}
