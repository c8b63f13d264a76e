package org.callrec.api.rtp;

import java.util.Locale;
import java.util.Objects;

/**
 * An RTP payload format: a payload type bound to an encoding, as in a static assignment (RFC 3551)
 * or an SDP {@code a=rtpmap} line.
 *
 * @param payloadType the RTP payload type, 0-127
 * @param encoding encoding name, upper case (PCMU, PCMA, G729, CN, TELEPHONE-EVENT)
 * @param clockRate RTP clock rate in Hz
 * @param channels number of channels (1 for telephony codecs)
 * @param fmtp format parameters from {@code a=fmtp}, or the empty string
 */
public record PayloadFormat(int payloadType, String encoding, int clockRate, int channels, String fmtp) {

    /** PCMU, static payload type 0. */
    public static final PayloadFormat PCMU = new PayloadFormat(0, "PCMU", 8000, 1, "");
    /** PCMA, static payload type 8. */
    public static final PayloadFormat PCMA = new PayloadFormat(8, "PCMA", 8000, 1, "");
    /** G.729, static payload type 18. */
    public static final PayloadFormat G729 = new PayloadFormat(18, "G729", 8000, 1, "");
    /** Comfort noise (RFC 3389), static payload type 13. */
    public static final PayloadFormat CN = new PayloadFormat(13, "CN", 8000, 1, "");

    /** Validates and normalises the format. */
    public PayloadFormat {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("RTP payload type must be 0-127: " + payloadType);
        }
        encoding = Objects.requireNonNull(encoding, "encoding").toUpperCase(Locale.ROOT);
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be > 0: " + clockRate);
        }
        if (channels <= 0) {
            throw new IllegalArgumentException("channels must be > 0: " + channels);
        }
        fmtp = fmtp == null ? "" : fmtp;
    }
}
