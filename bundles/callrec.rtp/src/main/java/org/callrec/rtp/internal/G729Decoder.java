package org.callrec.rtp.internal;

import java.util.Objects;

import org.callrec.api.rtp.AudioDecoder;

import com.sun.jna.Pointer;

/**
 * G.729 Annex A/B through bcg729. An RTP payload (RFC 3551 section 4.5.6) is k 10-byte speech
 * frames, optionally followed by one 2-byte SID frame; each frame gives 80 samples. Loss and DTX
 * (no frame sent) are both decoded as erased frames, which bcg729 turns into concealment or comfort
 * noise depending on the previous frame.
 */
final class G729Decoder implements AudioDecoder {

    static final int FRAME_BYTES = 10;
    static final int SID_BYTES = 2;
    static final int FRAME_SAMPLES = 80;

    private final byte[] frame = new byte[FRAME_BYTES];
    private final short[] pcm = new short[FRAME_SAMPLES];
    private Pointer context;

    G729Decoder() {
        if (!Bcg729.bound()) {
            throw new IllegalStateException("G.729 decoder unavailable: bcg729 is not loaded");
        }
        context = Objects.requireNonNull(Bcg729.initBcg729DecoderChannel(), "bcg729 decoder context");
    }

    @Override
    public String encoding() {
        return "G729";
    }

    @Override
    public int samplesIn(int length) {
        if (length <= 0 || length % FRAME_BYTES != 0 && length % FRAME_BYTES != SID_BYTES) {
            return -1;
        }
        return (length / FRAME_BYTES + (length % FRAME_BYTES == SID_BYTES ? 1 : 0)) * FRAME_SAMPLES;
    }

    @Override
    public int decode(byte[] payload, int offset, int length, short[] out, int outOffset) {
        int samples = samplesIn(length);
        if (samples < 0) {
            throw new IllegalArgumentException("G729: payload of " + length
                    + " bytes is not k x 10-byte frames plus an optional 2-byte SID");
        }
        if (offset < 0 || offset + length > payload.length || outOffset < 0 || outOffset + samples > out.length) {
            throw new IllegalArgumentException("G729: payload of " + length + " bytes at " + offset
                    + " does not fit (buffer " + payload.length + ", output room " + (out.length - outOffset) + ")");
        }
        ensureOpen();
        int frames = length / FRAME_BYTES;
        for (int f = 0; f < frames; f++) {
            System.arraycopy(payload, offset + f * FRAME_BYTES, frame, 0, FRAME_BYTES);
            Bcg729.bcg729Decoder(context, frame, (byte) FRAME_BYTES, (byte) 0, (byte) 0, (byte) 0, pcm);
            System.arraycopy(pcm, 0, out, outOffset + f * FRAME_SAMPLES, FRAME_SAMPLES);
        }
        if (length % FRAME_BYTES == SID_BYTES) {
            System.arraycopy(payload, offset + frames * FRAME_BYTES, frame, 0, SID_BYTES);
            Bcg729.bcg729Decoder(context, frame, (byte) SID_BYTES, (byte) 0, (byte) 1, (byte) 0, pcm);
            System.arraycopy(pcm, 0, out, outOffset + frames * FRAME_SAMPLES, FRAME_SAMPLES);
        }
        return samples;
    }

    @Override
    public int conceal(short[] out, int outOffset, int samples) {
        ensureOpen();
        int done = 0;
        while (done < samples) {
            Bcg729.bcg729Decoder(context, null, (byte) 0, (byte) 1, (byte) 0, (byte) 0, pcm);
            int n = Math.min(FRAME_SAMPLES, samples - done);
            System.arraycopy(pcm, 0, out, outOffset + done, n);
            done += n;
        }
        return samples;
    }

    private void ensureOpen() {
        if (context == null) {
            throw new IllegalStateException("G729 decoder is closed");
        }
    }

    @Override
    public void close() {
        if (context != null) {
            Bcg729.closeBcg729DecoderChannel(context);
            context = null;
        }
    }
}
