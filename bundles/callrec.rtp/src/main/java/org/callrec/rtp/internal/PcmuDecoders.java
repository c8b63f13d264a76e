package org.callrec.rtp.internal;

import org.callrec.api.rtp.AudioDecoder;
import org.callrec.api.rtp.DecoderFactory;
import org.osgi.service.component.annotations.Component;

/** G.711 μ-law (PCMU, payload type 0). */
@Component(property = DecoderFactory.ENCODING_PROPERTY + "=PCMU")
public final class PcmuDecoders implements DecoderFactory {

    @Override
    public String encoding() {
        return "PCMU";
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public AudioDecoder create() {
        return new G711Decoder("PCMU", G711.ULAW);
    }
}
