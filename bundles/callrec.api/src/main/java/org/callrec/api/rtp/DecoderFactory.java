package org.callrec.api.rtp;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A codec available to this runtime. Registered as a service with the property
 * {@value #ENCODING_PROPERTY} naming the encoding (PCMU, PCMA, G729), so captures pick the decoder
 * by the encoding name the SDP or the static payload type gives.
 */
@ConsumerType
public interface DecoderFactory {

    /** Service property naming the encoding, upper case. */
    String ENCODING_PROPERTY = "callrec.codec";

    /** @return the encoding name, upper case */
    String encoding();

    /**
     * Whether decoding works here now. A codec that needs an OS library that is missing says no;
     * its payloads are then stored raw and decoded later.
     *
     * @return true if {@link #create()} yields a working decoder
     */
    boolean available();

    /**
     * Creates a decoder for one stream.
     *
     * @return a new decoder
     * @throws IllegalStateException if the codec is not {@link #available()}
     */
    AudioDecoder create();
}
