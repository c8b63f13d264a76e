package org.callrec.api.call;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A call-control source whose clock is a capture file's rather than the wall clock: the scripted
 * PBX playing a scenario while {@code callrec import --scenario} reads a capture. The reader moves
 * the clock forward as the packets' capture times advance; each call returns only once every call
 * event due by then has been delivered to the {@link CallEventListener}s, so the packets that follow
 * meet the calls those events started, however fast the file is read, and every run gives the same
 * result. Event times are capture times.
 */
@ProviderType
public interface CapturePacedSource {

    /**
     * Starts the clock at the capture's first packet (the scenario's start unless it names its own).
     *
     * @param firstPacket capture time of the file's first packet
     * @return a one-line description of what is played (scenario, steps, start)
     * @throws IllegalArgumentException the scenario cannot be played: unreadable, invalid, or a step
     *         lies before the first packet; the message names the file, the step and the problem
     */
    String begin(Instant firstPacket);

    /**
     * The capture reached this time: every step due by then takes effect before this returns.
     *
     * @param captureTime capture time of the packet about to be read
     * @throws IllegalStateException the source did not catch up within a bounded wall time (its
     *         message says what it waits for)
     */
    void advanceTo(Instant captureTime);

    /**
     * The capture ended: the steps due after its last packet take effect at their own times.
     *
     * @param lastPacket capture time of the file's last packet
     * @return how many steps were due after the last packet
     */
    int finish(Instant lastPacket);
}
