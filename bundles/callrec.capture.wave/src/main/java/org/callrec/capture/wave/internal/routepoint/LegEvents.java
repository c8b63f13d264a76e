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

    /**
     * The leg's first audio arrived, now. A transport whose audio reaches {@link #audio()} only
     * after a jitter buffer's delay calls this on arrival, so a Route Point's absence is measured
     * to when it came back, not to when its audio left the buffer; without it the first sample
     * marks that moment.
     */
    default void audioArrived() {
    }
}
