package org.callrec.capture.wave.internal.winmm;

import org.callrec.capture.wave.internal.routepoint.RoutePointException;

/** Maps a TAPI call to its waveIn device: {@code lineGetID(..., LINECALLSELECT_CALL, "wave/in")}. */
public interface WaveDeviceIds {

    /**
     * @param call the connected Route Point call
     * @return the waveIn device id carrying its audio
     * @throws RoutePointException if TAPI gives none, with the LINEERR
     */
    int waveIn(TapiRoutePointCalls.PlacedCall call) throws RoutePointException;
}
