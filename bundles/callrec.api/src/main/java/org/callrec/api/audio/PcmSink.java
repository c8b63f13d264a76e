package org.callrec.api.audio;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives decoded 8 kHz 16-bit PCM for one channel of a recording, placed on the call's sample
 * clock. A position past the last written sample means the samples between are missing; the sink
 * fills them with silence so the file stays on the call's clock.
 */
@ConsumerType
public interface PcmSink {

    /**
     * Writes samples starting at the given position.
     *
     * @param samplePosition position of {@code samples[offset]} in samples since the recording started
     * @param samples buffer holding the samples
     * @param offset first sample to write
     * @param length number of samples to write
     */
    void pcm(long samplePosition, short[] samples, int offset, int length);

    /**
     * Marks a gap (no audio arrived) of the given length at the given position. The sink writes
     * silence there and keeps the marker for the catalog.
     *
     * @param gap the gap
     */
    void gap(GapMarker gap);

    /**
     * Records a DTMF digit seen on this channel (RFC 4733 events are kept out of the audio).
     *
     * @param event the digit with its timing
     */
    void dtmf(DtmfEvent event);
}
