package org.callrec.capture.mirror.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.callrec.api.sip.SipPacketSink;
import org.callrec.capture.mirror.internal.packet.FrameDecoder;
import org.callrec.capture.mirror.internal.packet.LinkType;
import org.callrec.capture.mirror.internal.packet.TestFrames;
import org.junit.jupiter.api.Test;

class MirroredSipForwarderTest {

    private record Offered(InetSocketAddress source, InetSocketAddress destination, Instant time, String text) {
    }

    @Test
    void passesDatagramsOnSipPortsWithAddressesAndTimeAndNothingElse() {
        List<Offered> offered = new ArrayList<>();
        SipPacketSink sink = (transport, source, destination, time, payload) -> {
            assertEquals(SipPacketSink.Transport.UDP, transport);
            byte[] b = new byte[payload.remaining()];
            payload.get(b);
            offered.add(new Offered(source, destination, time, new String(b, StandardCharsets.US_ASCII)));
        };
        FrameDecoder decoder = new FrameDecoder(new MirroredSipForwarder(sink, 5060, 5070), 1_000_000_000L, 16);
        byte[] phone = TestFrames.ip("10.1.2.3");
        byte[] pbx = TestFrames.ip("10.1.2.4");
        String invite = "INVITE sip:201@10.1.2.4 SIP/2.0\r\nCall-ID: x\r\n\r\n";
        send(decoder, phone, pbx, 40000, 5060, invite, 1_700_000_000_123_000_000L);
        send(decoder, pbx, phone, 5070, 40000, "SIP/2.0 200 OK\r\n\r\n", 1_700_000_001_000_000_000L);
        send(decoder, phone, pbx, 16000, 20000, "rtp, not sip", 1_700_000_002_000_000_000L);

        assertEquals(2, offered.size(), offered.toString());
        Offered first = offered.get(0);
        assertEquals(new InetSocketAddress("10.1.2.3", 40000), first.source());
        assertEquals(new InetSocketAddress("10.1.2.4", 5060), first.destination());
        assertEquals(Instant.ofEpochSecond(1_700_000_000L, 123_000_000), first.time());
        assertEquals(invite, first.text());
        assertEquals("SIP/2.0 200 OK\r\n\r\n", offered.get(1).text());
    }

    @Test
    void withoutPassiveSipNothingIsOfferedAndNothingFails() {
        FrameDecoder decoder = new FrameDecoder(new MirroredSipForwarder(null, 5060), 1_000_000_000L, 16);
        send(decoder, TestFrames.ip("10.1.2.3"), TestFrames.ip("10.1.2.4"), 5060, 5060, "OPTIONS", 1L);
        assertEquals(1, decoder.stats().udpDelivered());
    }

    private static void send(FrameDecoder decoder, byte[] src, byte[] dst, int sp, int dp, String payload, long t) {
        byte[] frame = TestFrames.ethernet(TestFrames.ipv4(src, dst, 17, 1, 0, false,
                TestFrames.udp(src, dst, sp, dp, payload.getBytes(StandardCharsets.US_ASCII))));
        decoder.frame(LinkType.ETHERNET, frame, 0, frame.length, frame.length, t);
    }
}
