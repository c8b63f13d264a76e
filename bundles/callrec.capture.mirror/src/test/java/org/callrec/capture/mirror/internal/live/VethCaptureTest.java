package org.callrec.capture.mirror.internal.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.callrec.capture.mirror.internal.packet.DecodeStats;
import org.callrec.capture.mirror.internal.packet.FrameDecoder;
import org.callrec.capture.mirror.internal.packet.LinkType;
import org.callrec.capture.mirror.internal.packet.TestFrames;
import org.callrec.capture.mirror.internal.packet.TestFrames.Datagram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live capture with libpcap on a veth pair: traffic replayed with tcpreplay (also VLAN-tagged and
 * fragmented by tcprewrite) must arrive as exactly the UDP payloads tshark reads from the same
 * file, and offline reading of that file must give the same. Needs root, tcpreplay and tshark
 * (integration-tests/run-tests installs them); without them the test fails, it is never skipped.
 */
class VethCaptureTest {

    static final String FILTER = "udp or ip6 proto 44 or (vlan and (udp or ip6 proto 44))";
    private static VethPair veth;

    @TempDir
    static Path dir;

    @BeforeAll
    static void network() throws Exception {
        assertEquals("0", VethPair.run("id", "-u").strip(), "live capture tests need root (ip netns, CAP_NET_RAW)");
        veth = VethPair.create();
    }

    @AfterAll
    static void cleanUp() {
        if (veth != null) {
            veth.close();
        }
    }

    private static List<Datagram> sorted(List<Datagram> l) {
        List<Datagram> c = new ArrayList<>(l);
        Collections.sort(c);
        return c;
    }

    /** Replays the file on the veth pair and returns what the live capture delivered. */
    private static List<Datagram> captureReplay(Path pcap, int expected) throws Exception {
        List<Datagram> got = Collections.synchronizedList(new ArrayList<>());
        FrameDecoder decoder = new FrameDecoder(d -> got.add(Datagram.of(d)), 5_000_000_000L, 1024);
        CaptureSettings settings = new CaptureSettings(veth.near(), true, 65535, 32 << 20, 10, FILTER);
        CaptureCounters counters;
        DecodeStats stats;
        try (LiveCapture capture = LiveCapture.open(settings, "", decoder::frame, decoder)) {
            veth.replay(pcap, "--pps=20000");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (got.size() < expected && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(300); // anything beyond the expected would show up now
            capture.close();
            counters = capture.counters();
            stats = capture.decodeStats();
        }
        assertEquals(0, counters.dropped(), "libpcap drops: " + counters);
        assertTrue(counters.received() >= counters.delivered() && counters.delivered() > 0, counters.toString());
        assertEquals(0, stats.malformed() + stats.truncated(), stats.toString());
        return new ArrayList<>(got);
    }

    private static void assertLiveEqualsTsharkAndOffline(Path pcap) throws Exception {
        List<Datagram> tshark = TestFrames.tsharkDatagrams(pcap);
        List<Datagram> offline = TestFrames.decodeFile(pcap);
        assertEquals(sorted(tshark), sorted(offline), "offline reading vs tshark on " + pcap.getFileName());
        List<Datagram> live = captureReplay(pcap, tshark.size());
        assertEquals(tshark.size(), live.size(), "datagrams captured live from " + pcap.getFileName());
        assertEquals(sorted(tshark), sorted(live), "live capture vs tshark on " + pcap.getFileName());
    }

    private static Path base() throws Exception {
        Path f = dir.resolve("base.pcap");
        if (!Files.exists(f)) {
            TestFrames.writePcap(f, LinkType.ETHERNET, TestFrames.mixed(11, 2000, 1400).frames(), false, false);
        }
        return f;
    }

    private static Path vlan(Path in) throws Exception {
        Path out = dir.resolve("vlan-" + in.getFileName());
        VethPair.run("tcprewrite", "--enet-vlan=add", "--enet-vlan-tag=100", "--enet-vlan-cfi=0", "--enet-vlan-pri=0",
                "-i", in.toString(), "-o", out.toString());
        return out;
    }

    private static Path fragmented(Path in) throws Exception {
        Path conf = dir.resolve("fragroute.conf");
        Files.writeString(conf, "ip_frag 256\n");
        Path out = dir.resolve("frag-" + in.getFileName());
        VethPair.run("tcprewrite", "--fragroute=" + conf, "-i", in.toString(), "-o", out.toString());
        return out;
    }

    @Test
    void ipv4AndIpv6DatagramsArriveIntact() throws Exception {
        assertLiveEqualsTsharkAndOffline(base());
    }

    @Test
    void vlanTaggedDatagramsArriveIntact() throws Exception {
        Path tagged = vlan(base());
        assertEquals(2000, TestFrames.tsharkDatagrams(tagged).size());
        assertLiveEqualsTsharkAndOffline(tagged);
    }

    @Test
    void fragmentedDatagramsAreReassembled() throws Exception {
        Path frag = fragmented(base());
        assertEquals(2000, TestFrames.tsharkDatagrams(frag).size());
        assertLiveEqualsTsharkAndOffline(frag);
    }

    @Test
    void fragmentedAndVlanTaggedDatagramsAreReassembled() throws Exception {
        assertLiveEqualsTsharkAndOffline(vlan(fragmented(base())));
    }

    @Test
    void ipv6FragmentsOutOfOrderAreReassembled() throws Exception {
        Random random = new Random(12);
        byte[] a = TestFrames.ip("2001:db8::77");
        byte[] b = TestFrames.ip("2001:db8::1");
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            byte[] udp = TestFrames.udp(a, b, 41000, 51000, TestFrames.randomPayload(random, 1500 + random.nextInt(6000)));
            List<byte[]> fragments = new ArrayList<>(TestFrames.ipv6Fragments(a, b, 17, 9000 + i, udp, 1392));
            Collections.reverse(fragments);
            fragments.forEach(f -> frames.add(TestFrames.ethernet(f)));
        }
        Path f = dir.resolve("ipv6frag.pcap");
        TestFrames.writePcap(f, LinkType.ETHERNET, frames, false, false);
        assertLiveEqualsTsharkAndOffline(f);
    }

    @Test
    void aMissingNicIsAClearError() {
        CaptureSettings settings = new CaptureSettings("crm-nosuchnic", true, 65535, 4 << 20, 10, FILTER);
        LiveCaptureException e = assertThrows(LiveCaptureException.class,
                () -> LiveCapture.open(settings, "", (l, b, o, c, n, t) -> { }, null));
        assertTrue(e.getMessage().contains("crm-nosuchnic"), e.getMessage());
    }

    @Test
    void aBadFilterIsAClearError() {
        CaptureSettings settings = new CaptureSettings(veth.near(), true, 65535, 4 << 20, 10, "udp and and");
        LiveCaptureException e = assertThrows(LiveCaptureException.class,
                () -> LiveCapture.open(settings, "", (l, b, o, c, n, t) -> { }, null));
        assertTrue(e.getMessage().contains("udp and and"), e.getMessage());
    }
}
