package org.callrec.sip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.callrec.api.call.CallEvent;
import org.callrec.api.call.CallOrigin;
import org.callrec.api.call.MediaHint;
import org.callrec.api.directory.User;
import org.callrec.api.directory.UserDirectory;
import org.callrec.api.sip.SipPacketSink.Transport;
import org.junit.jupiter.api.Test;

/**
 * Passive SIP on hand-written messages for what the sipp call does not cover: compact headers and
 * folding, TCP segments with several messages or a partial one, CANCEL, rejected calls,
 * retransmissions, RFC 2543 hold, mapping to users through the directory by extension and by IP.
 */
class PassiveSipTest {

    private static final InetSocketAddress PHONE_A = new InetSocketAddress("10.0.0.51", 5060);
    private static final InetSocketAddress PBX = new InetSocketAddress("10.0.0.1", 5060);
    private static final InetSocketAddress TRUNK = new InetSocketAddress("192.0.2.9", 5060);

    private final List<CallEvent> events = new ArrayList<>();
    private UserDirectory directory;
    private final PassiveSip sip = new PassiveSip("sip", events::add, () -> directory, Pattern.compile("[0-9]{2,6}"), 100);

    private static String invite(String callId, String from, String to, int cseq, String toTag, String sdp) {
        String body = sdp == null ? "" : sdp;
        return "INVITE sip:" + to + "@10.0.0.1 SIP/2.0\r\n"
                + "v: SIP/2.0/UDP 10.0.0.51:5060;branch=z9hG4bK" + callId + cseq + "\r\n"
                + "f: <sip:" + from + "@10.0.0.1>;tag=a" + callId + "\r\n"
                + "t: <sip:" + to + "@10.0.0.1>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "i: " + callId + "\r\n"
                + "CSeq: " + cseq + "\r\n INVITE\r\n" // folded header line
                + (sdp == null ? "" : "c: application/sdp\r\n")
                + "l: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static String response(int status, String callId, String from, String to, int cseq, String method,
            String toTag, String sdp) {
        String body = sdp == null ? "" : sdp;
        return "SIP/2.0 " + status + " Whatever\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.51:5060;branch=z9hG4bK" + callId + cseq + "\r\n"
                + "From: <sip:" + from + "@10.0.0.1>;tag=a" + callId + "\r\n"
                + "To: <sip:" + to + "@10.0.0.1>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + (sdp == null ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static String request(String method, String callId, String from, String to, int cseq, String toTag) {
        return method + " sip:" + to + "@10.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.51:5060;branch=z9hG4bK" + callId + cseq + method + "\r\n"
                + "From: <sip:" + from + "@10.0.0.1>;tag=a" + callId + "\r\n"
                + "To: <sip:" + to + "@10.0.0.1>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: " + cseq + " " + method + "\r\nContent-Length: 0\r\n\r\n";
    }

    private static String sdp(String ip, int port, String dir) {
        return "v=0\r\no=- 1 1 IN IP4 " + ip + "\r\ns=-\r\nc=IN IP4 " + ip + "\r\nt=0 0\r\nm=audio " + port
                + " RTP/AVP 18 0\r\n" + (dir == null ? "" : "a=" + dir + "\r\n");
    }

    private void udp(InetSocketAddress src, InetSocketAddress dst, String text) {
        sip.onPayload(Transport.UDP, src, dst, Instant.now(), ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    private List<String> lines() {
        return events.stream().map(e -> e.extension() + " " + e.type()).collect(Collectors.toList());
    }

    @Test
    void compactHeadersFoldingAndRetransmissions() {
        String inv = invite("c1", "1001", "1002", 1, null, sdp("10.0.0.51", 4000, null));
        udp(PHONE_A, PBX, inv);
        udp(PHONE_A, PBX, inv); // retransmission
        udp(PBX, PHONE_A, response(180, "c1", "1001", "1002", 1, "INVITE", "b", null));
        String ok = response(200, "c1", "1001", "1002", 1, "INVITE", "b", sdp("10.0.0.52", 4002, null));
        udp(PBX, PHONE_A, ok);
        udp(PBX, PHONE_A, ok); // retransmitted until the ACK
        assertEquals(List.of("1001 DIALING", "1002 OFFERING", "1002 ACCEPTED", "1001 CONNECTED", "1002 CONNECTED"), lines());
        assertEquals(0, sip.malformed());
        assertEquals(CallOrigin.INTERNAL, events.get(0).origin());
        assertEquals(List.of(18, 0), events.get(0).media().get(0).formats().stream().map(f -> f.payloadType()).toList());
    }

    @Test
    void cancelledAndRejectedCalls() {
        udp(TRUNK, PBX, invite("c2", "+4930123", "1001", 1, null, sdp("192.0.2.9", 30000, null)));
        udp(TRUNK, PBX, request("CANCEL", "c2", "+4930123", "1001", 1, null));
        udp(PBX, TRUNK, response(487, "c2", "+4930123", "1001", 1, "INVITE", "x", null));
        udp(TRUNK, PBX, invite("c3", "+4930123", "1001", 1, null, null));
        udp(PBX, TRUNK, response(486, "c3", "+4930123", "1001", 1, "INVITE", "y", null));
        assertEquals(List.of("+4930123 DIALING", "1001 OFFERING", "+4930123 DISCONNECTED", "1001 DISCONNECTED",
                "+4930123 IDLE", "1001 IDLE", "+4930123 DIALING", "1001 OFFERING", "+4930123 DISCONNECTED",
                "1001 DISCONNECTED", "+4930123 IDLE", "1001 IDLE"), lines());
        assertEquals(CallOrigin.EXTERNAL, events.get(1).origin());
    }

    @Test
    void rfc2543HoldAndResume() {
        udp(PHONE_A, PBX, invite("c4", "1001", "1002", 1, null, sdp("10.0.0.51", 4000, null)));
        udp(PBX, PHONE_A, response(200, "c4", "1001", "1002", 1, "INVITE", "b", sdp("10.0.0.52", 4002, null)));
        udp(PHONE_A, PBX, invite("c4", "1001", "1002", 2, "b", sdp("0.0.0.0", 4000, null)));
        udp(PBX, PHONE_A, response(200, "c4", "1001", "1002", 2, "INVITE", "b", sdp("10.0.0.52", 4002, null)));
        udp(PHONE_A, PBX, invite("c4", "1001", "1002", 3, "b", sdp("10.0.0.51", 4000, "sendrecv")));
        udp(PBX, PHONE_A, response(200, "c4", "1001", "1002", 3, "INVITE", "b", sdp("10.0.0.52", 4002, null)));
        assertEquals(List.of("1001 DIALING", "1002 OFFERING", "1001 CONNECTED", "1002 CONNECTED", "1001 ON_HOLD",
                "1002 ON_HOLD", "1001 RESUMED", "1002 RESUMED"), lines());
        assertEquals(MediaHint.Direction.INACTIVE, events.get(4).media().get(0).direction());
    }

    @Test
    void tcpSegmentWithTwoMessagesAndAPartialOne() {
        String a = invite("c5", "1001", "1002", 1, null, sdp("10.0.0.51", 4000, null));
        String b = response(180, "c5", "1001", "1002", 1, "INVITE", "b", null);
        String partial = response(200, "c5", "1001", "1002", 1, "INVITE", "b", sdp("10.0.0.52", 4002, null));
        String segment = a + b + partial.substring(0, partial.length() - 20);
        sip.onPayload(Transport.TCP, PHONE_A, PBX, Instant.now(), ByteBuffer.wrap(segment.getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("1001 DIALING", "1002 OFFERING", "1002 ACCEPTED"), lines());
        assertEquals(1, sip.malformed());
        assertTrue(sip.lastError().contains("continues in another TCP segment"), sip.lastError());
        sip.onPayload(Transport.TCP, PBX, PHONE_A, Instant.now(), ByteBuffer.wrap(partial.getBytes(StandardCharsets.UTF_8)));
        assertEquals("1001 CONNECTED", lines().get(3));
    }

    @Test
    void usersFromTheDirectoryByExtensionAndByEndpointIp() {
        User alice = new User("u1", "Alice", "alice", true, "rec1", "2001", List.of(), "10.0.0.51");
        User bob = new User("u2", "Bob", "bob", true, "rec1", "2002", List.of("2102"), "10.0.0.52");
        directory = new UserDirectory() {
            @Override
            public List<User> users() {
                return List.of(alice, bob);
            }

            @Override
            public Optional<User> byExtension(String extension) {
                return users().stream().filter(u -> u.owns(extension)).findFirst();
            }

            @Override
            public Optional<User> byEndpointIp(String ip) {
                return users().stream().filter(u -> ip.equals(u.endpointIp())).findFirst();
            }
        };
        // Alice's phone dials out through a trunk: her From is a DID, her phone's IP identifies her.
        udp(PHONE_A, TRUNK, invite("c6", "+4930555", "+4940777", 1, null, sdp("10.0.0.51", 4000, null)));
        // An external caller dials Bob's additional extension.
        udp(TRUNK, PBX, invite("c7", "+4940777", "2102", 1, null, sdp("192.0.2.9", 30000, null)));
        // Nobody of ours.
        udp(TRUNK, PBX, invite("c8", "+4940777", "9999", 1, null, null));
        assertEquals(List.of("2001 DIALING", "2102 OFFERING"), lines());
        assertEquals("+4930555", events.get(0).parties().caller());
    }

    @Test
    void garbageAndBadSdpAreCountedAndSkipped() {
        udp(PHONE_A, PBX, "\r\n\r\n"); // keep-alive: not an error
        udp(PHONE_A, PBX, "SIP/2.0 2OO OK\r\nCall-ID: x\r\n\r\n");
        udp(PHONE_A, PBX, "INVITE sip:1@x SIP/2.0\r\nCall-ID: x\r\nCSeq: one INVITE\r\nFrom: a\r\nTo: b\r\n\r\n");
        udp(PHONE_A, PBX, "INVITE sip:1@x SIP/2.0\r\nno colon here\r\n\r\n");
        udp(PHONE_A, PBX, invite("c9", "1001", "1002", 1, null, "v=0\r\nc=IN IP4 10.0.0.51\r\nm=audio notaport RTP/AVP 0\r\n"));
        assertEquals(3, sip.malformed());
        assertEquals(1, sip.malformedSdp());
        assertTrue(sip.lastError().contains("bad port in SDP m= line"), sip.lastError());
        assertEquals(List.of("1001 DIALING", "1002 OFFERING"), lines(), "the call with bad SDP is still followed");
        assertTrue(events.get(0).media().isEmpty());
    }

    @Test
    void uriUserParts() {
        assertEquals("1001", SipUri.user("\"Alice\" <sip:1001@pbx;user=phone>;tag=1"));
        assertEquals("+4930123", SipUri.user("<tel:+4930123;phone-context=x>"));
        assertEquals("2002", SipUri.user("sip:2002@10.0.0.1;transport=udp"));
        assertEquals("1001", SipUri.user("<sips:1001:secret@pbx>"));
        assertNull(SipUri.user("<sip:pbx.example>"));
        assertEquals("abc", SipUri.tag("<sip:1@x>;foo=1;tag=abc"));
        assertNull(SipUri.tag("<sip:1@x;tag=inside-uri>"));
    }

    @Test
    void sdpWithoutVersionOrAddressIsRejectedWithAReason() {
        SipParseException e = assertThrows(SipParseException.class,
                () -> Sdp.parse("m=audio 4000 RTP/AVP 0\r\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("SDP without v= line", e.getMessage());
        e = assertThrows(SipParseException.class,
                () -> Sdp.parse("v=0\r\nm=audio 4000 RTP/AVP 0\r\n".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("without a connection address"), e.getMessage());
    }
}
