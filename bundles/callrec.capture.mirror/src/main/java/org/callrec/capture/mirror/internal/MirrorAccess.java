package org.callrec.capture.mirror.internal;

import org.callrec.api.capture.AudioCapture;
import org.callrec.api.sip.SipPacketSink;
import org.callrec.capture.mirror.internal.packet.UdpDatagram;
import org.callrec.capture.mirror.internal.packet.UdpPacketSink;

/**
 * What the offline import uses of this bundle's capture: the same {@link MirrorCapture} instance the
 * recorder starts sessions on, and a SIP forwarder of its own (the live one feeds the NIC's SIP).
 */
public final class MirrorAccess implements UdpPacketSink {

    private final MirrorCapture capture;

    /** @param capture the port-mirror capture service of this bundle */
    public MirrorAccess(AudioCapture capture) {
        this.capture = (MirrorCapture) capture;
    }

    /**
     * @param sip passive SIP
     * @return a sink offering datagrams on the default SIP port (5060) to passive SIP
     */
    public static UdpPacketSink sipForwarder(SipPacketSink sip) {
        return new MirroredSipForwarder(sip, 5060);
    }

    /**
     * @param callId a call
     * @return true once the recorder started capturing the call
     */
    public boolean capturing(String callId) {
        return capture.capturing(callId);
    }

    /**
     * @param callId the call
     * @param extension the recorded side
     * @return true while that side of the call is captured
     */
    public boolean capturing(String callId, String extension) {
        return capture.capturing(callId, extension);
    }

    /**
     * Applies the binds and releases the recorder queued, as the live capture thread does when idle:
     * a session that stops waits for its release to be applied, so a reader waiting for the recorder
     * must keep applying them.
     */
    public void applyPending() {
        capture.applyPending();
    }

    @Override
    public void udp(UdpDatagram datagram) {
        capture.udp(datagram);
    }

    @Override
    public void tick(long nowNanos) {
        capture.tick(nowNanos);
    }
}
