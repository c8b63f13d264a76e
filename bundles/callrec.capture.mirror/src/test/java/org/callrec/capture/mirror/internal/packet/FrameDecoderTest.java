package org.callrec.capture.mirror.internal.packet;

import static org.callrec.capture.mirror.internal.packet.TestFrames.ethernet;
import static org.callrec.capture.mirror.internal.packet.TestFrames.ip;
import static org.callrec.capture.mirror.internal.packet.TestFrames.ipv4;
import static org.callrec.capture.mirror.internal.packet.TestFrames.ipv4Fragments;
import static org.callrec.capture.mirror.internal.packet.TestFrames.ipv6;
import static org.callrec.capture.mirror.internal.packet.TestFrames.ipv6Fragments;
import static org.callrec.capture.mirror.internal.packet.TestFrames.randomPayload;
import static org.callrec.capture.mirror.internal.packet.TestFrames.udp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    private static final long SECOND = 1_000_000_000L;
    private final List<UdpDatagram> seen = new ArrayList<>();
    private final List<byte[]> payloads = new ArrayList<>();
    private final List<Integer> vlans = new ArrayList<>();
    private final FrameDecoder decoder = new FrameDecoder(d -> {
        payloads.add(d.payload());
        vlans.add(d.vlanId());
        seen.add(d);
    }, 2 * SECOND, 8);
    private final Random random = new Random(7);

    private void feed(byte[] frame, long ts) {
        decoder.frame(LinkType.ETHERNET, frame, 0, frame.length, frame.length, ts);
    }

    @Test
    void ipv4UdpIsDeliveredWithAddressesPortsAndPayload() {
        byte[] payload = randomPayload(random, 172);
        byte[] src = ip("10.0.0.51");
        byte[] dst = ip("10.0.0.1");
        // offset in a larger buffer, with Ethernet padding after it, as a NIC delivers
        byte[] frame = ethernet(ipv4(src, dst, 17, 1, 0, false, udp(src, dst, 20000, 30000, payload)));
        byte[] buf = new byte[frame.length + 40];
        System.arraycopy(frame, 0, buf, 17, frame.length);
        decoder.frame(LinkType.ETHERNET, buf, 17, frame.length + 6, frame.length + 6, 5 * SECOND);
        assertEquals(1, payloads.size());
        assertArrayEquals(payload, payloads.get(0));
        UdpDatagram d = seen.get(0);
        assertEquals(4, d.ipVersion());
        assertEquals("10.0.0.51", d.srcAddress().getHostAddress());
        assertEquals("10.0.0.1", d.dstAddress().getHostAddress());
        assertTrue(d.srcIs(src));
        assertFalse(d.srcIs(dst));
        assertEquals(20000, d.srcPort());
        assertEquals(30000, d.dstPort());
        assertEquals(5 * SECOND, d.timestampNanos());
        assertEquals(-1, vlans.get(0));
        assertEquals(1, decoder.stats().udpDelivered());
    }

    @Test
    void ipv6UdpBehindExtensionHeadersIsDelivered() {
        byte[] payload = randomPayload(random, 160);
        byte[] src = ip("2001:db8::51");
        byte[] dst = ip("2001:db8::1");
        byte[] u = udp(src, dst, 5004, 6004, payload);
        // destination options header (8 bytes, next = UDP) before the UDP header
        byte[] withOptions = new byte[8 + u.length];
        withOptions[0] = 17;
        withOptions[1] = 0;
        withOptions[2] = 1; // PadN
        withOptions[3] = 4;
        System.arraycopy(u, 0, withOptions, 8, u.length);
        feed(ethernet(ipv6(src, dst, 60, withOptions)), SECOND);
        assertEquals(1, payloads.size());
        assertArrayEquals(payload, payloads.get(0));
        assertEquals(6, seen.get(0).ipVersion());
        assertEquals("2001:db8:0:0:0:0:0:51", seen.get(0).srcAddress().getHostAddress());
        assertEquals(1, decoder.stats().ipv6());
    }

    @Test
    void vlanTagsAreStrippedAndTheInnermostIdKept() {
        byte[] payload = randomPayload(random, 20);
        byte[] a = ip("10.1.1.1");
        byte[] b = ip("10.1.1.2");
        feed(ethernet(ipv4(a, b, 17, 1, 0, false, udp(a, b, 1, 2, payload)), 100), SECOND);
        feed(ethernet(ipv6(ip("::1"), ip("::2"), 17, udp(ip("::1"), ip("::2"), 1, 2, payload)), 200, 300), SECOND);
        assertEquals(2, payloads.size());
        assertArrayEquals(payload, payloads.get(0));
        assertArrayEquals(payload, payloads.get(1));
        assertEquals(List.of(100, 300), vlans);
        assertEquals(2, decoder.stats().vlanTagged());
    }

    @Test
    void ipv4FragmentsInAnyOrderWithDuplicatesAreReassembled() {
        byte[] payload = randomPayload(random, 3000);
        byte[] a = ip("192.0.2.1");
        byte[] b = ip("192.0.2.2");
        List<byte[]> fragments = new ArrayList<>(ipv4Fragments(a, b, 17, 4242, udp(a, b, 7000, 8000, payload), 504));
        fragments.add(fragments.get(2)); // a mirror port may see one twice
        Collections.shuffle(fragments, random);
        for (byte[] f : fragments) {
            feed(ethernet(f), SECOND);
        }
        assertEquals(1, payloads.size());
        assertArrayEquals(payload, payloads.get(0));
        assertTrue(seen.get(0).reassembled());
        DecodeStats s = decoder.stats();
        assertEquals(fragments.size(), s.fragments());
        assertEquals(1, s.reassembled());
    }

    @Test
    void fragmentsOfDifferentDatagramsAreKeptApartBySourceDestinationProtocolAndId() {
        byte[] a = ip("192.0.2.1");
        byte[] b = ip("192.0.2.2");
        byte[] c = ip("192.0.2.3");
        byte[] p1 = randomPayload(random, 2000);
        byte[] p2 = randomPayload(random, 2000);
        byte[] p3 = randomPayload(random, 2000);
        List<byte[]> f1 = ipv4Fragments(a, b, 17, 9, udp(a, b, 1, 2, p1), 800);
        List<byte[]> f2 = ipv4Fragments(c, b, 17, 9, udp(c, b, 1, 2, p2), 800); // same id, other source
        List<byte[]> f3 = ipv4Fragments(a, b, 17, 10, udp(a, b, 1, 2, p3), 800); // same pair, other id
        for (int i = 0; i < f1.size(); i++) {
            feed(ethernet(f1.get(i)), SECOND);
            feed(ethernet(f2.get(i)), SECOND);
            feed(ethernet(f3.get(i)), SECOND);
        }
        assertEquals(3, payloads.size());
        assertArrayEquals(p1, payloads.get(0));
        assertArrayEquals(p2, payloads.get(1));
        assertArrayEquals(p3, payloads.get(2));
    }

    @Test
    void ipv6FragmentsAreReassembled() {
        byte[] payload = randomPayload(random, 4000);
        byte[] a = ip("2001:db8::a");
        byte[] b = ip("2001:db8::b");
        List<byte[]> fragments = new ArrayList<>(ipv6Fragments(a, b, 17, 0x12345678L, udp(a, b, 9, 10, payload), 1232));
        Collections.reverse(fragments);
        for (byte[] f : fragments) {
            feed(ethernet(f), SECOND);
        }
        assertEquals(1, payloads.size());
        assertArrayEquals(payload, payloads.get(0));
        assertEquals(6, seen.get(0).ipVersion());
    }

    @Test
    void anIncompleteDatagramTimesOutAndIsCounted() {
        byte[] a = ip("192.0.2.1");
        byte[] b = ip("192.0.2.2");
        List<byte[]> fragments = ipv4Fragments(a, b, 17, 77, udp(a, b, 1, 2, randomPayload(random, 1500)), 496);
        for (int i = 0; i < fragments.size() - 1; i++) {
            feed(ethernet(fragments.get(i)), SECOND);
        }
        decoder.expire(4 * SECOND); // past the 2 s timeout
        feed(ethernet(fragments.get(fragments.size() - 1)), 4 * SECOND); // too late: starts a new, incomplete one
        assertEquals(0, payloads.size());
        assertEquals(1, decoder.stats().reassemblyTimeouts());
    }

    @Test
    void tooManyDatagramsInReassemblyDropTheOldest() {
        byte[] a = ip("192.0.2.1");
        byte[] b = ip("192.0.2.2");
        for (int id = 0; id < 9; id++) { // limit is 8
            feed(ethernet(ipv4Fragments(a, b, 17, id, udp(a, b, 1, 2, randomPayload(random, 100)), 48).get(0)), SECOND);
        }
        assertEquals(1, decoder.stats().reassemblyOverflows());
    }

    @Test
    void framesCutBySnapLengthAreCountedAsTruncatedAndDamagedOnesAsMalformed() {
        byte[] a = ip("10.1.1.1");
        byte[] b = ip("10.1.1.2");
        byte[] frame = ethernet(ipv4(a, b, 17, 1, 0, false, udp(a, b, 1, 2, randomPayload(random, 300))));
        decoder.frame(LinkType.ETHERNET, frame, 0, 128, frame.length, SECOND);
        byte[] badLength = frame.clone();
        badLength[14 + 2] = 0x7F; // IPv4 total length far beyond the frame
        feed(badLength, SECOND);
        byte[] badUdp = frame.clone();
        badUdp[14 + 20 + 4] = 0; // UDP length 5 < 8
        badUdp[14 + 20 + 5] = 5;
        feed(badUdp, SECOND);
        feed(new byte[10], SECOND);
        DecodeStats s = decoder.stats();
        assertEquals(1, s.truncated());
        assertEquals(3, s.malformed());
        assertEquals(0, s.udpDelivered());
        assertEquals(4, s.frames());
    }

    @Test
    void nonUdpAndNonIpAreCountedNotDelivered() {
        byte[] a = ip("10.1.1.1");
        byte[] b = ip("10.1.1.2");
        feed(ethernet(ipv4(a, b, 6, 1, 0, false, new byte[20])), SECOND);
        byte[] arp = ethernet(new byte[28]);
        arp[12] = 0x08;
        arp[13] = 0x06;
        feed(arp, SECOND);
        decoder.frame(147, arp, 0, arp.length, arp.length, SECOND);
        DecodeStats s = decoder.stats();
        assertEquals(1, s.notUdp());
        assertEquals(1, s.notIp());
        assertEquals(1, s.unsupportedLinkType());
        assertTrue(payloads.isEmpty());
    }

    @Test
    void linuxCookedRawIpAndLoopbackLinkTypesAreRead() {
        byte[] payload = randomPayload(random, 50);
        byte[] a = ip("10.1.1.1");
        byte[] b = ip("10.1.1.2");
        byte[] packet = ipv4(a, b, 17, 1, 0, false, udp(a, b, 1, 2, payload));
        byte[] sll = new byte[16 + packet.length];
        sll[14] = 0x08;
        System.arraycopy(packet, 0, sll, 16, packet.length);
        decoder.frame(LinkType.LINUX_SLL, sll, 0, sll.length, sll.length, SECOND);
        decoder.frame(LinkType.RAW, packet, 0, packet.length, packet.length, SECOND);
        byte[] loop = new byte[4 + packet.length];
        loop[0] = 2; // AF_INET, little-endian writer
        System.arraycopy(packet, 0, loop, 4, packet.length);
        decoder.frame(LinkType.NULL, loop, 0, loop.length, loop.length, SECOND);
        assertEquals(3, payloads.size());
        for (byte[] p : payloads) {
            assertArrayEquals(payload, p);
        }
    }
}
