package org.callrec.capture.wave.internal.sip;

import static org.junit.jupiter.api.Assertions.*;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The user agent's transaction layer against a bare UDP peer that answers by hand, so what goes on
 * the wire, and when, is visible: RFC 3261 retransmission timing, ACK of non-2xx on the INVITE's
 * branch, CANCEL only after a provisional, 200 to the PBX's BYE (481 outside a dialog).
 */
class RecorderUserAgentUdpTest {

    private final DatagramSocket pbx = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    private final RecorderUserAgent ua = new RecorderUserAgent(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            "127.0.0.1", new InetSocketAddress(InetAddress.getLoopbackAddress(), pbx.getLocalPort()), "recorder");
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private SocketAddress uaAddress;

    RecorderUserAgentUdpTest() throws Exception {
    }

    @AfterEach
    void close() {
        ua.close();
        pbx.close();
    }

    private final SipUserAgent.Events recorder = new SipUserAgent.Events() {
        @Override
        public void response(int status, String reasonPhrase, String challenge, String sdp) {
            events.add(status + " " + reasonPhrase);
        }

        @Override
        public void byeReceived() {
            events.add("BYE");
        }

        @Override
        public String offerReceived(String sdp) {
            events.add("offer " + sdp.trim());
            if (sdp.contains("H264")) {
                throw new IllegalArgumentException("the offer lists none of our codecs");
            }
            return "v=0\r\nanswer\r\n";
        }

        @Override
        public String offerWanted() {
            events.add("offer wanted");
            return "v=0\r\nour offer\r\n";
        }

        @Override
        public void answerReceived(String sdp) {
            events.add("answer " + sdp.trim());
        }
    };

    private String receive(long timeoutMillis) throws Exception {
        byte[] b = new byte[4096];
        DatagramPacket p = new DatagramPacket(b, b.length);
        pbx.setSoTimeout((int) timeoutMillis);
        try {
            pbx.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        uaAddress = p.getSocketAddress();
        return new String(b, 0, p.getLength(), StandardCharsets.UTF_8);
    }

    private void send(String msg) throws Exception {
        byte[] b = msg.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        pbx.send(new DatagramPacket(b, b.length, uaAddress));
    }

    private static String header(String msg, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ": ([^\r\n]*)").matcher(msg);
        assertTrue(m.find(), name + " missing in " + msg);
        return m.group(1);
    }

    /** A response to the request, as the PBX would build it. */
    private static String answer(String request, String status, String toTag) {
        return "SIP/2.0 " + status + "\nVia: " + header(request, "Via") + "\nFrom: " + header(request, "From")
                + "\nTo: " + header(request, "To") + (toTag == null ? "" : ";tag=" + toTag) + "\nCall-ID: "
                + header(request, "Call-ID") + "\nCSeq: " + header(request, "CSeq") + "\nContent-Length: 0\n\n";
    }

    @Test
    void anUnansweredInviteIsRetransmittedAtT1DoublingUntilAProvisionalAndANon2xxIsAckedOnItsBranch()
            throws Exception {
        SipUserAgent.Call call = ua.newCall("sip:5999@127.0.0.1", "v=0\r\n", recorder);
        call.sendInvite(1, null, null);
        String invite = receive(1000);
        long t0 = System.nanoTime();
        assertTrue(invite.startsWith("INVITE sip:5999@127.0.0.1 SIP/2.0\r\n"), invite);
        assertEquals(invite, receive(1000), "the same INVITE again");
        long first = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(invite, receive(2000));
        long second = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(500, first, 150, "Timer A starts at T1");
        assertEquals(1500, second, 200, "then 2*T1 later");
        send(answer(invite, "100 Trying", null));
        assertNull(receive(2500), "no retransmission after a provisional response");

        send(answer(invite, "486 Busy Here", "pbx1"));
        String ack = receive(1000);
        assertTrue(ack.startsWith("ACK sip:5999@127.0.0.1 SIP/2.0\r\n"), ack);
        assertEquals(header(invite, "Via"), header(ack, "Via"), "the ACK of a non-2xx is on the INVITE's branch");
        assertEquals("1 ACK", header(ack, "CSeq"));
        assertTrue(header(ack, "To").endsWith(";tag=pbx1"));
        send(answer(invite, "486 Busy Here", "pbx1"));
        assertNotNull(receive(1000), "a retransmitted final response is ACKed again");
        Thread.sleep(100);
        assertEquals(List.of("100 Trying", "486 Busy Here"), events, "and reported once");
    }

    @Test
    void aCancelWaitsForAProvisionalAndUsesTheInvitesBranch() throws Exception {
        SipUserAgent.Call call = ua.newCall("sip:5999@127.0.0.1", "v=0\r\n", recorder);
        call.sendInvite(1, null, null);
        String invite = receive(1000);
        call.sendCancel();
        String next = receive(300);
        assertTrue(next == null || next.startsWith("INVITE"), "no CANCEL before a provisional: " + next);
        send(answer(invite, "180 Ringing", "pbx2"));
        String cancel = receive(1000);
        while (cancel != null && cancel.startsWith("INVITE")) {
            cancel = receive(1000);
        }
        assertNotNull(cancel);
        assertTrue(cancel.startsWith("CANCEL sip:5999@127.0.0.1 SIP/2.0\r\n"), cancel);
        assertEquals(header(invite, "Via"), header(cancel, "Via"));
        assertEquals("1 CANCEL", header(cancel, "CSeq"));
        send(answer(cancel, "200 OK", "pbx2"));
        send(answer(invite, "487 Request Terminated", "pbx2"));
        String ack = receive(1000);
        assertTrue(ack.startsWith("ACK "), ack);
        Thread.sleep(100);
        assertEquals(List.of("180 Ringing", "487 Request Terminated"), events);
    }

    @Test
    void thePbxsByeIsAnsweredAndReportedOnceAndUnknownDialogsGet481() throws Exception {
        SipUserAgent.Call call = ua.newCall("sip:5999@127.0.0.1", "v=0\r\n", recorder);
        call.sendInvite(1, null, null);
        String invite = receive(1000);
        String ok = "SIP/2.0 200 OK\nVia: " + header(invite, "Via") + "\nFrom: " + header(invite, "From")
                + "\nTo: " + header(invite, "To") + ";tag=pbx3\nCall-ID: " + header(invite, "Call-ID")
                + "\nCSeq: 1 INVITE\nContact: <sip:5999@127.0.0.1:" + pbx.getLocalPort()
                + ">\nContent-Type: application/sdp\nContent-Length: 4\n\nv=0\n";
        send(ok);
        org.callrec.capture.wave.internal.routepoint.Await.waitFor(() -> events.contains("200 OK"));
        call.sendAck(1);
        String ack = receive(1000);
        assertTrue(ack.startsWith("ACK sip:5999@127.0.0.1:" + pbx.getLocalPort() + " SIP/2.0"), "to the Contact: " + ack);
        assertTrue(header(ack, "To").endsWith(";tag=pbx3"), "in the dialog: " + ack);
        assertNotEquals(header(invite, "Via"), header(ack, "Via"), "the ACK of a 2xx is a transaction of its own");
        String bye = "BYE sip:recorder@127.0.0.1 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:" + pbx.getLocalPort()
                + ";branch=z9hG4bKbye1\nFrom: " + header(invite, "To") + ";tag=pbx3\nTo: " + header(invite, "From")
                + "\nCall-ID: " + header(invite, "Call-ID") + "\nCSeq: 7 BYE\nContent-Length: 0\n\n";
        send(bye);
        String r1 = receive(1000);
        send(bye);
        String r2 = receive(1000);
        assertTrue(r1.startsWith("SIP/2.0 200 OK\r\n") && r2.startsWith("SIP/2.0 200 OK\r\n"), r1 + r2);
        assertEquals("7 BYE", header(r1, "CSeq"));
        call.sendBye();
        assertNull(receive(300), "no BYE of ours after the PBX's");
        send(bye.replace(header(invite, "Call-ID"), "unknown@pbx"));
        assertTrue(receive(1000).startsWith("SIP/2.0 481 "));
        send("this is not SIP\n\n");
        Thread.sleep(100);
        assertEquals(1, ua.malformed());
        assertEquals(List.of("200 OK", "BYE"), events);
    }

    /** Establishes a dialog with the PBX tag pbx9 and returns the INVITE. */
    private String established(SipUserAgent.Call call) throws Exception {
        call.sendInvite(1, null, null);
        String invite = receive(1000);
        send("SIP/2.0 200 OK\nVia: " + header(invite, "Via") + "\nFrom: " + header(invite, "From") + "\nTo: "
                + header(invite, "To") + ";tag=pbx9\nCall-ID: " + header(invite, "Call-ID")
                + "\nCSeq: 1 INVITE\nContact: <sip:5999@127.0.0.1:" + pbx.getLocalPort()
                + ">\nContent-Type: application/sdp\nContent-Length: 4\n\nv=0\n");
        org.callrec.capture.wave.internal.routepoint.Await.waitFor(() -> events.contains("200 OK"));
        call.sendAck(1);
        assertTrue(receive(1000).startsWith("ACK "));
        return invite;
    }

    private String reinvite(String invite, int cseq, String branch, String body) {
        return "INVITE sip:recorder@127.0.0.1 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:" + pbx.getLocalPort() + ";branch="
                + branch + "\nFrom: " + header(invite, "To") + ";tag=pbx9\nTo: " + header(invite, "From")
                + "\nCall-ID: " + header(invite, "Call-ID") + "\nCSeq: " + cseq + " INVITE\nContent-Type: "
                + "application/sdp\nContent-Length: " + body.replace("\n", "\r\n").length() + "\n\n" + body;
    }

    private String ack(String invite, int cseq, String body) {
        return "ACK sip:recorder@127.0.0.1 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:" + pbx.getLocalPort()
                + ";branch=z9hG4bKack" + cseq + "\nFrom: " + header(invite, "To") + ";tag=pbx9\nTo: "
                + header(invite, "From") + "\nCall-ID: " + header(invite, "Call-ID") + "\nCSeq: " + cseq + " ACK\n"
                + (body.isEmpty() ? "" : "Content-Type: application/sdp\n") + "Content-Length: "
                + body.replace("\n", "\r\n").length() + "\n\n" + body;
    }

    /**
     * The PBX's re-INVITE is answered 200 with the owner's SDP answer, the 200 sent again at T1,
     * 2*T1 until the ACK (13.3.1.4); a retransmitted re-INVITE gets the same 200 without asking
     * the owner again; an older CSeq gets 500; an offer we cannot take gets 488 and the session
     * goes on; a re-INVITE without an offer gets our offer in the 200 and its answer comes in the ACK.
     */
    @Test
    void thePbxsReInvitesAreAnsweredPerRfc3264And3261() throws Exception {
        SipUserAgent.Call call = ua.newCall("sip:5999@127.0.0.1", "v=0\r\n", recorder);
        String invite = established(call);
        String hold = reinvite(invite, 5, "z9hG4bKre5", "v=0\na=inactive\n");
        send(hold);
        String ok = receive(1000);
        long t0 = System.nanoTime();
        assertTrue(ok.startsWith("SIP/2.0 200 OK\r\n"), ok);
        assertEquals("5 INVITE", header(ok, "CSeq"));
        assertTrue(header(ok, "To").contains(";tag="), ok);
        assertTrue(ok.endsWith("\r\n\r\nv=0\r\nanswer\r\n"), "the owner's answer as the body: " + ok);
        assertEquals(ok, receive(1000), "sent again: no ACK yet");
        assertEquals(500, (System.nanoTime() - t0) / 1_000_000, 150);
        send(hold);
        assertEquals(ok, receive(1000), "the retransmitted re-INVITE gets the same 200");
        send(ack(invite, 5, ""));
        assertNull(receive(2500), "the ACK stops the retransmissions");
        assertEquals(1, events.stream().filter(e -> e.startsWith("offer v=0")).count(), "the owner was asked once");

        send(reinvite(invite, 4, "z9hG4bKold", "v=0\n"));
        assertTrue(receive(1000).startsWith("SIP/2.0 500 "), "an out-of-order CSeq (12.2.2)");

        send(reinvite(invite, 6, "z9hG4bKre6", "v=0\nm=video 5000 RTP/AVP 96\na=rtpmap:96 H264/90000\n"));
        String refused = receive(1000);
        assertTrue(refused.startsWith("SIP/2.0 488 Not Acceptable Here\r\n"), refused);
        assertEquals("304 callrec \"the offer lists none of our codecs\"", header(refused, "Warning"));
        send(ack(invite, 6, ""));

        send(reinvite(invite, 7, "z9hG4bKre7", ""));
        String offer = receive(1000);
        assertTrue(offer.startsWith("SIP/2.0 200 OK\r\n") && offer.endsWith("v=0\r\nour offer\r\n"), offer);
        send(ack(invite, 7, "v=0\npbx answer\n"));
        org.callrec.capture.wave.internal.routepoint.Await.waitFor(() -> events.contains("answer v=0\r\npbx answer"));
        assertNull(receive(1200), "acknowledged: nothing more");
        assertEquals(3, ua.reinvites());
        call.sendBye();
        assertTrue(receive(1000).startsWith("BYE "), "the dialog is still ours to end");
    }
}
