package org.callrec.capture.wave.internal.routepoint;

/**
 * How the recorder reaches the PBX Route Point: TAPI + winmm on Windows, a SIP user agent + RTP
 * everywhere. The Route Point logic above it ({@link RoutePointSession}) is the same for both.
 */
public interface RoutePointTransport {

    /** @return a short name for logs and the catalog, e.g. {@code winmm}, {@code sip} */
    String name();

    /**
     * Places a call to the Route Point for one recorded call, has it answered and linked, and
     * starts delivering its audio. Blocks until the Route Point leg carries audio or has failed:
     * the recorder starts each call on its own thread, so a slow Route Point never delays another.
     *
     * @param dial what to call and for which recorded call
     * @param events where the leg's audio and its loss go
     * @return the connected leg
     * @throws RoutePointException with the reason (busy, not found, timeout, no audio, device error)
     */
    RoutePointLeg dial(RoutePointDial dial, LegEvents events) throws RoutePointException;
}
