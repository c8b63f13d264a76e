package org.callrec.rtp.internal;

import java.util.List;
import java.util.function.Function;

import org.callrec.api.audio.PcmSink;
import org.callrec.api.rtp.DecoderFactory;
import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.rtp.Playout;
import org.callrec.api.rtp.PlayoutFactory;
import org.callrec.api.rtp.RawPayload;
import org.callrec.api.storage.RawPayloadSink;

/**
 * The RTP bundle's real play-out and decoders, wired as DS would, as one {@link PlayoutFactory}:
 * published in this bundle's test jar so other bundles' tests (storage's decode-pending) record and
 * decode through exactly the code that runs in production.
 */
public final class RtpBundleForTests implements PlayoutFactory {

    private final G729Decoders g729;
    private final Function<String, DecoderFactory> decoders;

    /** @param library where bcg729 is looked for: a path where it is not yet installed hides it */
    public RtpBundleForTests(String library) {
        g729 = Codecs.g729(library);
        decoders = Codecs.all(g729);
    }

    /** @return the G.729 decoder factory (its {@code g729()} is the console command that looks again) */
    public G729Decoders g729() {
        return g729;
    }

    public DecoderFactory decoder(String encoding) {
        return decoders.apply(encoding);
    }

    @Override
    public Playout open(List<PayloadFormat> formats, long startSample, int channel, PcmSink sink, RawPayloadSink raw) {
        return new StreamPlayout(formats, this::decoder, startSample, channel, sink, raw, 120 * 8, 1000 * 8);
    }

    @Override
    public void decodeRaw(String encoding, int channel, Iterable<RawPayload> payloads, PcmSink sink) {
        RawReplay.decode(decoder(encoding), channel, payloads, sink);
    }
}
