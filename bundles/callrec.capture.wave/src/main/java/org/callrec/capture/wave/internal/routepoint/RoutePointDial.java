package org.callrec.capture.wave.internal.routepoint;

import java.util.Objects;

/**
 * One attempt to connect the Route Point to a recorded call.
 *
 * @param routePointExtension the Route Point extension (ShoreTelTapiWaveRoutePointExtension)
 * @param callId the recorded call's id, as the call-control source gave it
 * @param extension the recorded extension
 * @param attempt 1 for the first call, 2 and up for re-establishing a dropped Route Point
 */
public record RoutePointDial(String routePointExtension, String callId, String extension, int attempt) {

    /** Validates the dial. */
    public RoutePointDial {
        Objects.requireNonNull(routePointExtension, "routePointExtension");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(extension, "extension");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1: " + attempt);
        }
    }
}
