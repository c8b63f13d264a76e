package org.callrec.capture.mirror.internal.correlation;

import java.util.Objects;

/**
 * A recorded call whose RTP the correlator looks for: what flows to or from the user's phone
 * (optionally only on the SDP port the user's side announced) since shortly before it connected.
 *
 * @param callId the call
 * @param endpoint the user's phone address, 4 or 16 bytes
 * @param userPort the user's RTP port from SDP, or 0 when unknown (TAPI gives none)
 * @param connectedAtNanos when the call connected, on the capture clock (epoch nanoseconds)
 * @param receiver where the call's packets go
 */
public record CallBinding(String callId, byte[] endpoint, int userPort, long connectedAtNanos, StreamReceiver receiver) {

    /** Validates the binding. */
    public CallBinding {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(receiver, "receiver");
        if (endpoint == null || (endpoint.length != 4 && endpoint.length != 16)) {
            throw new IllegalArgumentException("endpoint address must have 4 or 16 bytes");
        }
        if (userPort < 0 || userPort > 65535) {
            throw new IllegalArgumentException("port must be 0-65535: " + userPort);
        }
        endpoint = endpoint.clone();
    }
}
