package org.callrec.rtp.internal;

import java.util.List;
import java.util.Locale;

import org.callrec.api.audio.PcmSink;
import org.callrec.api.rtp.DecoderFactory;
import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.rtp.Playout;
import org.callrec.api.rtp.PlayoutFactory;
import org.callrec.api.rtp.RawPayload;
import org.callrec.api.storage.RawPayloadSink;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

/** Opens play-outs; decoders are the registered {@link DecoderFactory} services, chosen by encoding name. */
@Component(configurationPid = "org.callrec.rtp.playout")
@Designate(ocd = PlayoutConfig.class)
public final class RtpPlayouts implements PlayoutFactory {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<DecoderFactory> decoders;

    private volatile PlayoutConfig config;

    @Activate
    @Modified
    void configure(PlayoutConfig config) {
        if (config.reorderWindowMillis() < 20 || config.resyncThresholdMillis() < 200) {
            throw new IllegalArgumentException("reorderWindowMillis must be >= 20 and resyncThresholdMillis >= 200, got "
                    + config.reorderWindowMillis() + " and " + config.resyncThresholdMillis());
        }
        this.config = config;
    }

    DecoderFactory decoder(String encoding) {
        String name = encoding.toUpperCase(Locale.ROOT);
        for (DecoderFactory f : decoders) {
            if (name.equals(f.encoding())) {
                return f;
            }
        }
        return null;
    }

    @Override
    public Playout open(List<PayloadFormat> formats, long startSample, int channel, PcmSink sink, RawPayloadSink raw) {
        PlayoutConfig c = config;
        return new StreamPlayout(formats, this::decoder, startSample, channel, sink, raw,
                c.reorderWindowMillis() * 8L, c.resyncThresholdMillis() * 8L);
    }

    @Override
    public void decodeRaw(String encoding, int channel, Iterable<RawPayload> payloads, PcmSink sink) {
        DecoderFactory factory = decoder(encoding);
        if (factory == null) {
            throw new IllegalStateException("no decoder registered for " + encoding);
        }
        RawReplay.decode(factory, channel, payloads, sink);
    }
}
