package org.callrec.capture.wave.internal.routepoint;

/** A connected Route Point call, as its transport holds it. */
public interface RoutePointLeg {

    /**
     * Stops the audio and hangs the Route Point call up (TAPI lineDrop, SIP BYE), releasing every
     * device and buffer. Idempotent; never throws: a failure is logged by the transport.
     */
    void hangUp();
}
