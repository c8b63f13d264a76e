package org.callrec.capture.wave.internal.winmm;

import java.util.function.Consumer;

import org.callrec.capture.wave.internal.routepoint.RoutePointDial;
import org.callrec.capture.wave.internal.routepoint.RoutePointException;

/**
 * Places and drops Route Point calls through TAPI. The TAPI line application, its message loop and
 * the call states belong to callrec.tapi, which is expected to offer this (as a service of its own
 * API) once it exists; until then the winmm transport has no call placement on a live system and
 * is exercised with a scripted stand-in.
 */
public interface TapiRoutePointCalls {

    /**
     * A Route Point call placed and connected: TAPI handles, DWORDs even on x64.
     *
     * @param hLine the line the call is on
     * @param hCall the call
     */
    record PlacedCall(int hLine, int hCall) {
    }

    /**
     * Calls the Route Point for a recorded call (lineMakeCall to the Route Point extension; the Route
     * Point answers and the PBX links it to the recorded call's audio) and waits for it to connect.
     *
     * @param dial the Route Point and the recorded call
     * @param disconnected told once, with the reason, if the Route Point call ends by itself later
     * @return the connected call
     * @throws RoutePointException with the reason (busy, no answer, TAPI error)
     */
    PlacedCall place(RoutePointDial dial, Consumer<String> disconnected) throws RoutePointException;

    /**
     * Hangs the Route Point call up (lineDrop) and deallocates it. Idempotent.
     *
     * @param call the call
     */
    void drop(PlacedCall call);
}
