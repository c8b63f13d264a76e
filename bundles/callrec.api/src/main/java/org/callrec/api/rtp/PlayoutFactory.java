package org.callrec.api.rtp;

import java.util.List;

import org.callrec.api.audio.PcmSink;
import org.callrec.api.storage.RawPayloadSink;
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
    default Playout open(List<PayloadFormat> formats, long startSample, PcmSink sink) {
        return open(formats, startSample, 0, sink, null);
    }

    /**
     * Opens the play-out of one stream direction.
     *
     * @param formats payload formats the SDP (or the static table) allows on this stream
     * @param startSample position on the recording's clock where this stream's first packet goes
     * @param channel channel index this stream is recorded on (gap markers and DTMF carry it)
     * @param sink where decoded PCM, gaps and DTMF go
     * @param raw where payloads go, losslessly and with their position, whose codec cannot be
     *        decoded here now (G.729 without its OS library); null if the caller cannot keep them,
     *        in which case such audio becomes a gap
     * @return the play-out
     */
    Playout open(List<PayloadFormat> formats, long startSample, int channel, PcmSink sink, RawPayloadSink raw);

    /**
     * Decodes payloads that a play-out kept raw, once their codec is available, exactly as the
     * play-out would have decoded them then (same concealment of the gaps between them).
     *
     * @param encoding the encoding name (e.g. G729)
     * @param channel channel index for gap markers
     * @param payloads the kept payloads in the order they were kept
     * @param sink where the PCM goes
     * @throws IllegalStateException if the codec is still not available
     */
    void decodeRaw(String encoding, int channel, Iterable<RawPayload> payloads, PcmSink sink);
}
