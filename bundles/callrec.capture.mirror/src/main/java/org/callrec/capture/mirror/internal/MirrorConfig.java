package org.callrec.capture.mirror.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "callrec: port-mirror capture",
        description = "ShoreTel TAPI mode: RTP is sniffed off a NIC fed by a switch mirror port.")
@interface MirrorConfig {

    @AttributeDefinition(name = "Capture NIC", description = "Network interface the mirror port feeds, e.g. eth1")
    String captureInterface() default "";

    @AttributeDefinition(name = "Promiscuous",
            description = "Capture frames not addressed to this server (a mirror port needs it)")
    boolean promiscuous() default true;

    @AttributeDefinition(name = "Snap length (bytes)", description = "Bytes captured per frame, 128-262144",
            min = "128", max = "262144")
    int snapLength() default 65535;

    @AttributeDefinition(name = "Kernel buffer (MiB)",
            description = "libpcap's capture buffer: how long the recorder may be kept from the CPU without "
                    + "dropping packets. 64 MiB holds about 1 s of 200,000 G.711 packets per second (1,000 calls "
                    + "each way); if the capture NIC health check shows drops on a busy server, raise it (e.g. 256).",
            min = "1", max = "2047")
    int bufferMiB() default 64;

    @AttributeDefinition(name = "Read timeout (ms)",
            description = "How long the kernel may hold captured packets before handing a batch over", min = "1", max = "1000")
    int readTimeoutMillis() default 10;

    // IPv6 fragments carry the fragment header (44) as next header, so "udp" alone misses them.
    @AttributeDefinition(name = "Capture filter (BPF)",
            description = "pcap-filter(7) expression; the default takes UDP, 802.1Q-tagged UDP and IPv6 fragments")
    String captureFilter() default "udp or ip6 proto 44 or (vlan and (udp or ip6 proto 44))";

    @AttributeDefinition(name = "Fragment reassembly timeout (ms)",
            description = "An IP datagram whose fragments do not all arrive within this time is dropped", min = "100")
    int reassemblyTimeoutMillis() default 5000;

    @AttributeDefinition(name = "Datagrams in reassembly (max)",
            description = "Fragmented datagrams kept at once; the oldest is dropped beyond this", min = "1")
    int maxReassemblies() default 4096;

    @AttributeDefinition(name = "Look-back (ms)",
            description = "RTP of recorded users' phones kept this long, so a call gets the audio that began"
                    + " shortly before it connected; at least 2000", min = "2000")
    int lookBackMillis() default 3000;

    @AttributeDefinition(name = "Look-back buffer (packets)",
            description = "Packets the look-back keeps at most (about 250 bytes each)", min = "1000")
    int lookBackPackets() default 100000;

    @AttributeDefinition(name = "No-RTP diagnosis after (s)",
            description = "A connected recorded call whose phone shows no RTP this long is diagnosed", min = "1")
    int noRtpDiagnosisSeconds() default 5;

    @AttributeDefinition(name = "SIP ports",
            description = "UDP ports whose datagrams on the capture NIC are passed to passive SIP (call boundaries"
                    + " and SDP media for recorded users)")
    int[] sipPorts() default {5060};

    @AttributeDefinition(name = "libpcap library",
            description = "Full path of libpcap; empty finds Debian's libpcap.so.0.8")
    String pcapLibrary() default "";
}
