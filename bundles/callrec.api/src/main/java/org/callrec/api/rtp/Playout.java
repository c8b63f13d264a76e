package org.callrec.api.rtp;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Plays out the RTP packets of one direction of a call, by RTP timestamp, into a PCM sink:
 * reorders within a window, drops duplicates, conceals loss and keeps the output on the RTP
 * clock. Not thread-safe: one capture thread feeds it.
 */
@ProviderType
public interface Playout extends AutoCloseable {

    /**
     * Offers one raw RTP packet. Malformed packets are counted and dropped, never thrown.
     *
     * @param packet buffer holding the packet (the UDP payload)
     * @param offset first byte of the RTP header
     * @param length packet length
     * @param arrivalNanos arrival time, monotonic nanoseconds
     */
    void offer(byte[] packet, int offset, int length, long arrivalNanos);

    /**
     * Plays out everything still buffered whose time has come by the given arrival time.
     *
     * @param nowNanos monotonic nanoseconds
     */
    void advance(long nowNanos);

    /** @return the stream's counters so far */
    StreamStats stats();

    /** @return RTCP packets and the last sender report seen with this stream */
    RtcpStats rtcp();

    /**
     * @return true if some payload could not be decoded now (codec unavailable) and went to the
     *         raw payload sink instead: the recording is "decode pending"
     */
    boolean decodePending();

    /** Plays out all buffered packets and releases the decoder. */
    @Override
    void close();
}
