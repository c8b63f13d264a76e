package org.callrec.capture.mirror.internal.packet;

/**
 * Where decoded UDP datagrams go: the seam between the packet layer (live NIC or capture file) and
 * what uses the traffic (RTP correlation to calls, the passive SIP parser). Called on the capture
 * thread, one datagram at a time; an implementation returns quickly and copies what it keeps.
 */
@FunctionalInterface
public interface UdpPacketSink {

    /**
     * @param datagram the datagram; a reused flyweight, valid only during this call
     */
    void udp(UdpDatagram datagram);

    /**
     * Lets time pass while no datagram arrives (play-out, timeouts). Called on the capture thread
     * between packets, at least every few milliseconds while capturing.
     *
     * @param nowNanos the capture clock, nanoseconds since the epoch
     */
    default void tick(long nowNanos) {
    }
}
