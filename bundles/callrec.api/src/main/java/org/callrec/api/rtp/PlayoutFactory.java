package org.callrec.api.rtp;

import java.util.List;

import org.callrec.api.audio.PcmSink;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Creates play-outs. Provided by the RTP bundle; used by both capture modes.
 */
@ProviderType
public interface PlayoutFactory {

    /**
     * Opens the play-out of one stream direction.
     *
     * @param formats payload formats the SDP (or the static table) allows on this stream
     * @param startSample position on the recording's clock where this stream's first packet goes
     * @param sink where decoded PCM, gaps and DTMF go
     * @return the play-out
     */
    Playout open(List<PayloadFormat> formats, long startSample, PcmSink sink);
}
