package org.callrec.rtp.internal;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.function.Function;

import org.callrec.api.audio.PcmSink;
import org.callrec.api.rtp.DecoderFactory;
import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.storage.RawPayloadSink;

/** The bundle's real decoder factories, wired as DS would, for tests. */
final class Codecs {

    private Codecs() {
    }

    static G729Decoders g729(String library) {
        G729Decoders g = new G729Decoders();
        g.configure(new G729Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return G729Config.class;
            }

            @Override
            public String library() {
                return library;
            }

            @Override
            public int retrySeconds() {
                return 3600;
            }
        });
        return g;
    }

    static Function<String, DecoderFactory> all(DecoderFactory g729) {
        DecoderFactory pcmu = new PcmuDecoders();
        DecoderFactory pcma = new PcmaDecoders();
        return enc -> switch (enc) {
            case "PCMU" -> pcmu;
            case "PCMA" -> pcma;
            case "G729" -> g729;
            default -> null;
        };
    }

    static StreamPlayout playout(List<PayloadFormat> formats, PcmSink sink, RawPayloadSink raw, DecoderFactory g729) {
        return new StreamPlayout(formats, all(g729), 0, 0, sink, raw, 120 * 8, 1000 * 8);
    }
}
