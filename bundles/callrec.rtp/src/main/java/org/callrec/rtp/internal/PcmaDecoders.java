package org.callrec.rtp.internal;

import org.callrec.api.rtp.AudioDecoder;
import org.callrec.api.rtp.DecoderFactory;
import org.osgi.service.component.annotations.Component;

/** G.711 A-law (PCMA, payload type 8). */
@Component(property = DecoderFactory.ENCODING_PROPERTY + "=PCMA")
public final class PcmaDecoders implements DecoderFactory {

    @Override
    public String encoding() {
        return "PCMA";
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public AudioDecoder create() {
        return new G711Decoder("PCMA", G711.ALAW);
    }
}
