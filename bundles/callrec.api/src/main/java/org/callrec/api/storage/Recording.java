package org.callrec.api.storage;

import org.callrec.api.audio.PcmSink;
import org.callrec.api.rtp.PayloadFormat;
import org.osgi.annotation.versioning.ProviderType;

/** A recording being written. Channels may be fed from different threads. */
@ProviderType
public interface Recording {

    /** @return the recording's id (also its file name stem) */
    String id();

    /** @return the metadata it was opened with */
    RecordingMetadata metadata();

    /**
     * The sink of one channel.
     *
     * @param channel 0 (user, or mono) or 1 (other party)
     * @return the channel's sink
     */
    PcmSink channel(int channel);

    /**
     * A store for payload of one channel that cannot be decoded now; using it marks the
     * recording {@link RecordingStatus#DECODE_PENDING}.
     *
     * @param channel the channel
     * @param format the payload's format
     * @return the sink
     */
    RawPayloadSink raw(int channel, PayloadFormat format);

    /**
     * Adds facts learnt while recording (codec, counters) to the catalog entry.
     *
     * @param key a catalog attribute, e.g. {@code codec}, {@code packets.lost}
     * @param value its value
     */
    void annotate(String key, String value);

    /**
     * Closes the file and finalises the catalog entry.
     *
     * @param status final status (COMPLETE, FAILED, DECODE_PENDING, ...)
     * @param reason explanation for anything other than COMPLETE, or null
     */
    void close(RecordingStatus status, String reason);
}
