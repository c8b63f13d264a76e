package org.callrec.capture.wave.internal.routepoint;

import java.util.Objects;

/**
 * The settings the Route Point logic works by.
 *
 * @param routePointExtension the Route Point extension to call; empty when not configured
 * @param maxSessions most concurrent Route Point sessions (the PBX allows 200 per Remote Server)
 * @param conferenceExtensions the PBX's system conference extensions (4th-party detection)
 * @param redialAttempts how often a dropped Route Point is called again before the audio is given up
 * @param redialDelayMillis pause before each such call
 */
public record RoutePointPolicy(String routePointExtension, int maxSessions, ConferenceExtensions conferenceExtensions,
        int redialAttempts, long redialDelayMillis) {

    /** Validates the policy. */
    public RoutePointPolicy {
        routePointExtension = routePointExtension == null ? "" : routePointExtension.trim();
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxRoutePointSessions must be >= 1: " + maxSessions);
        }
        Objects.requireNonNull(conferenceExtensions, "conferenceExtensions");
        if (redialAttempts < 0) {
            throw new IllegalArgumentException("routePointRedialAttempts must be >= 0: " + redialAttempts);
        }
        if (redialDelayMillis < 0) {
            throw new IllegalArgumentException("routePointRedialDelayMillis must be >= 0: " + redialDelayMillis);
        }
    }

    /** @return true if a Route Point extension is configured */
    public boolean hasRoutePoint() {
        return !routePointExtension.isEmpty();
    }
}
