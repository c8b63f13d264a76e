package org.callrec.rtp.internal;

import org.callrec.api.audio.GapMarker;
import org.callrec.api.audio.PcmSink;
import org.callrec.api.rtp.AudioDecoder;
import org.callrec.api.rtp.DecoderFactory;
import org.callrec.api.rtp.RawPayload;

/**
 * Decodes payloads a play-out kept raw, the way the play-out would have: a gap between two
 * payloads of one segment is concealed by the codec (G.729 turns it into loss concealment or DTX
 * comfort noise, as it did live); the resynchronisation markers ({@link RawPayload#RESYNC_NEW_ENCODER},
 * {@link RawPayload#RESYNC_KEEP_DECODER}) become a gap, the first also a fresh decoder.
 */
final class RawReplay {

    private RawReplay() {
    }

    static void decode(DecoderFactory factory, int channel, Iterable<RawPayload> payloads, PcmSink sink) {
        if (!factory.available()) {
            throw new IllegalStateException(factory.encoding() + " still cannot be decoded here");
        }
        AudioDecoder decoder = factory.create();
        try {
            short[] pcm = new short[1600];
            long next = -1;
            boolean resync = false;
            boolean restart = false;
            for (RawPayload p : payloads) {
                byte[] b = p.payload();
                if (b.length <= RawPayload.RESYNC_KEEP_DECODER.length) {
                    resync = next >= 0;
                    restart |= resync && b.length == RawPayload.RESYNC_NEW_ENCODER.length;
                    continue;
                }
                int samples = decoder.samplesIn(b.length);
                if (samples < 0 || next >= 0 && p.samplePosition() < next) {
                    continue; // the play-out never stores such payloads; skip rather than corrupt the rest
                }
                long gap = next < 0 ? 0 : p.samplePosition() - next;
                if (resync) {
                    if (gap > 0) {
                        sink.gap(new GapMarker(channel, next, gap, GapMarker.Reason.RESYNC));
                    }
                    if (restart) {
                        decoder.close();
                        decoder = factory.create();
                    }
                    resync = false;
                    restart = false;
                } else if (gap > StreamPlayout.MAX_CONCEAL_SAMPLES) {
                    sink.gap(new GapMarker(channel, next, gap, GapMarker.Reason.LOSS));
                } else if (gap > 0) {
                    // loss or DTX inside a segment: concealed by the codec, as the play-out does
                    for (long pos = next; pos < p.samplePosition();) {
                        int n = (int) Math.min(pcm.length, p.samplePosition() - pos);
                        decoder.conceal(pcm, 0, n);
                        sink.pcm(pos, pcm, 0, n);
                        pos += n;
                    }
                }
                if (pcm.length < samples) {
                    pcm = new short[samples];
                }
                int n = decoder.decode(b, 0, b.length, pcm, 0);
                sink.pcm(p.samplePosition(), pcm, 0, n);
                next = p.samplePosition() + n;
            }
        } finally {
            decoder.close();
        }
    }
}
