package org.callrec.api.call;

import java.util.List;
import java.util.Objects;

import org.callrec.api.rtp.PayloadFormat;

/**
 * Where one side of a call's audio flows, as SDP announced it. Captures use hints to narrow RTP
 * matching to the right ports and to know dynamic payload types.
 *
 * @param address the connection address (IPv4 or IPv6 literal)
 * @param port the RTP port (RTCP is port + 1 unless announced otherwise)
 * @param formats the payload formats offered or answered
 * @param direction the SDP direction attribute
 * @param local true for the monitored user's side, false for the other party's
 */
public record MediaHint(String address, int port, List<PayloadFormat> formats, Direction direction, boolean local) {

    /** SDP media direction attributes (RFC 4566). */
    public enum Direction {
        /** a=sendrecv (the default). */
        SENDRECV,
        /** a=sendonly: the sender holds the call. */
        SENDONLY,
        /** a=recvonly. */
        RECVONLY,
        /** a=inactive: held, no media either way. */
        INACTIVE
    }

    /** Validates the hint and copies the format list. */
    public MediaHint {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535: " + port);
        }
        formats = List.copyOf(formats);
        Objects.requireNonNull(direction, "direction");
    }
}
