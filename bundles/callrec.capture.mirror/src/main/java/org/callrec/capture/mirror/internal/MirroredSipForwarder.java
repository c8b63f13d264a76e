package org.callrec.capture.mirror.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;

import org.callrec.api.mode.IntegrationMode;
import org.callrec.api.sip.SipPacketSink;
import org.callrec.capture.mirror.internal.packet.UdpDatagram;
import org.callrec.capture.mirror.internal.packet.UdpPacketSink;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Hands the SIP seen on the capture NIC to passive SIP, so a mirror port that carries the phones'
 * signalling gives the recorder its call boundaries and SDP media hints: the call events then come
 * back through the whiteboard to the recorder, which starts this bundle's capture. Only datagrams to
 * or from a configured SIP port are offered; SIP over TCP is not seen because the packet layer
 * decodes UDP only.
 */
@Component(service = UdpPacketSink.class, immediate = true, configurationPid = "org.callrec.capture.mirror",
        property = IntegrationMode.SERVICE_PROPERTY + "=shoretel-tapi")
public final class MirroredSipForwarder implements UdpPacketSink {

    // optional and dynamic: the capture records without passive SIP when another source gives calls
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SipPacketSink sip;

    private volatile int[] sipPorts = {5060};

    /** For DS. */
    public MirroredSipForwarder() {
    }

    /** For tests and the offline import: a given sink and ports. */
    MirroredSipForwarder(SipPacketSink sip, int... sipPorts) {
        this.sip = sip;
        this.sipPorts = sipPorts.clone();
    }

    @Activate
    @Modified
    void configure(MirrorConfig config) {
        sipPorts = Arrays.stream(config.sipPorts()).filter(p -> p > 0 && p < 65536).distinct().toArray();
    }

    @Override
    public void udp(UdpDatagram d) {
        SipPacketSink s = sip;
        if (s == null || !isSipPort(d.srcPort()) && !isSipPort(d.dstPort())) {
            return;
        }
        // SIP is a few packets per call: allocating here is fine, unlike on the RTP path
        long t = d.timestampNanos();
        s.onPayload(SipPacketSink.Transport.UDP, new InetSocketAddress(d.srcAddress(), d.srcPort()),
                new InetSocketAddress(d.dstAddress(), d.dstPort()),
                Instant.ofEpochSecond(Math.floorDiv(t, 1_000_000_000L), Math.floorMod(t, 1_000_000_000L)),
                ByteBuffer.wrap(d.buffer(), d.offset(), d.length()).asReadOnlyBuffer());
    }

    private boolean isSipPort(int port) {
        for (int p : sipPorts) {
            if (p == port) {
                return true;
            }
        }
        return false;
    }
}
