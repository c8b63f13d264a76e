package org.callrec.capture.wave.internal.routepoint;

/**
 * Counters of the Route Point sessions since the capture started, as a snapshot.
 *
 * @param active sessions holding a Route Point now
 * @param capacity most concurrent sessions allowed
 * @param started sessions whose Route Point answered
 * @param capacityRefusals calls refused because all sessions were in use
 * @param dialFailures Route Point calls that failed (busy, not found, timeout, device error)
 * @param drops Route Point legs that dropped during a call
 * @param reconnects dropped Route Points re-established (each left a gap marker)
 * @param conferenceEnds Route Point audio ended because a 4th party moved the call to a system conference
 * @param givenUp dropped Route Points that could not be re-established
 * @param lastProblem the last refusal or failure, or null
 */
public record RoutePointStats(int active, int capacity, long started, long capacityRefusals, long dialFailures,
        long drops, long reconnects, long conferenceEnds, long givenUp, String lastProblem) {
}
