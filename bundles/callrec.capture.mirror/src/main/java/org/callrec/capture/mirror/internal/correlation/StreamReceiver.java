package org.callrec.capture.mirror.internal.correlation;

/**
 * Takes the RTP packets bound to one call, one channel per direction. Called on the capture
 * thread; the buffer is valid only during the call.
 */
@FunctionalInterface
public interface StreamReceiver {

    /**
     * @param channel {@link org.callrec.api.audio.AudioFormat#USER_CHANNEL} for what the user's phone
     *        sent, {@link org.callrec.api.audio.AudioFormat#OTHER_PARTY_CHANNEL} for what it received
     * @param rtp buffer holding the RTP packet (the UDP payload)
     * @param offset first byte
     * @param length packet length
     * @param timestampNanos capture time
     */
    void rtp(int channel, byte[] rtp, int offset, int length, long timestampNanos);

    /**
     * Lets play-out time pass; called on the capture thread every few tens of milliseconds.
     *
     * @param nowNanos the capture clock
     */
    default void advance(long nowNanos) {
    }
}
