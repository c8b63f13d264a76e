package org.callrec.capture.wave.internal.routepoint;

import org.callrec.api.audio.PcmSink;

/** What a Route Point leg reports to its session. Called from the transport's threads. */
public interface LegEvents {

    /**
     * The sink for the leg's mono audio. Positions are counted from the leg's first sample (0);
     * the session places them on the recording's clock.
     *
     * @return the sink
     */
    PcmSink audio();

    /**
     * The Route Point call ended on its own (the PBX dropped it, the device failed) while the
     * recorded call may go on. The transport has released the leg's resources.
     *
     * @param reason what happened, in an administrator's words
     */
    void dropped(String reason);
}
