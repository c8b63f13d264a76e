package org.callrec.api.rtp;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decodes the payload of one RTP stream into 8 kHz 16-bit PCM. Instances keep codec state (G.729
 * does) and belong to one stream; they are not thread-safe.
 */
@ConsumerType
public interface AudioDecoder extends AutoCloseable {

    /** @return the encoding name this decoder handles, upper case */
    String encoding();

    /**
     * Decodes one RTP payload.
     *
     * @param payload buffer holding the payload
     * @param offset first payload byte
     * @param length payload length in bytes
     * @param out destination for the decoded samples
     * @param outOffset first sample to write
     * @return the number of samples written
     * @throws IllegalArgumentException if the payload is malformed for this codec
     */
    int decode(byte[] payload, int offset, int length, short[] out, int outOffset);

    /**
     * Produces samples for a lost stretch of audio (codec loss concealment or silence).
     *
     * @param out destination
     * @param outOffset first sample to write
     * @param samples number of samples to produce
     * @return the number of samples written
     */
    int conceal(short[] out, int outOffset, int samples);

    /**
     * The number of samples one payload of {@code length} bytes decodes to, without decoding it.
     *
     * @param length payload length in bytes
     * @return the sample count
     */
    int samplesIn(int length);

    /** Releases native resources, if any. */
    @Override
    void close();
}
