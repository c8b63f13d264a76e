package org.callrec.capture.wave.internal.sip;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.callrec.capture.wave.internal.routepoint.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The user agent over TCP against a bare TCP peer that writes by hand, so the stream's framing
 * and the connection's life are visible: messages split across writes and several in one write,
 * keep-alive pings, one connection for every dialog, a connection that breaks reopened by the next
 * request, a stream without Content-Length closed and counted, a PBX that refuses connections
 * reported per call with its address.
 */
class RecorderUserAgentTcpTest {

    private final ServerSocket pbx = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final RecorderUserAgent ua = new RecorderUserAgent("tcp", new InetSocketAddress(
            InetAddress.getLoopbackAddress(), 0), null, "127.0.0.1", new InetSocketAddress(
                    InetAddress.getLoopbackAddress(), pbx.getLocalPort()), "recorder");
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    RecorderUserAgentTcpTest() throws Exception {
    }

    @AfterEach
    void close() throws IOException {
        ua.close();
        pbx.close();
    }

    private final SipUserAgent.Events recorder = new SipUserAgent.Events() {
        @Override
        public void response(int status, String reasonPhrase, String challenge, String sdp) {
            events.add(status + " " + reasonPhrase + (sdp == null ? "" : " +sdp"));
        }

        @Override
        public void byeReceived() {
            events.add("BYE");
        }

        @Override
        public void transportFailed(String reason) {
            events.add("transport: " + reason);
        }
    };

    /** Reads one message off the stream by its Content-Length, as a PBX would. */
    private static String read(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            head.append((char) c);
        }
        Matcher m = Pattern.compile("(?mi)^Content-Length: *(\\d+)").matcher(head);
        assertTrue(m.find(), "every message over TCP carries Content-Length: " + head);
        byte[] body = in.readNBytes(Integer.parseInt(m.group(1)));
        return head + new String(body, StandardCharsets.UTF_8);
    }

    private static String header(String msg, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ": ([^\r\n]*)").matcher(msg);
        assertTrue(m.find(), name + " missing in " + msg);
        return m.group(1);
    }

    private static String response(String request, String status, String toTag, String body) {
        String b = body == null ? "" : body;
        return ("SIP/2.0 " + status + "\nVia: " + header(request, "Via") + "\nFrom: " + header(request, "From")
                + "\nTo: " + header(request, "To") + (toTag == null ? "" : ";tag=" + toTag) + "\nCall-ID: "
                + header(request, "Call-ID") + "\nCSeq: " + header(request, "CSeq") + "\nContact: <sip:5999@127.0.0.1:"
                + 5060 + ";transport=tcp>\n" + (body == null ? "" : "Content-Type: application/sdp\n")
                + "Content-Length: " + b.length() + "\n\n").replace("\n", "\r\n") + b;
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Test
    void twoDialogsShareOneConnectionFramedByContentLengthAndABrokenConnectionIsReopenedByTheNextRequest()
            throws Exception {
        SipUserAgent.Call a = ua.newCall("sip:5999@127.0.0.1;transport=tcp", "v=0\r\n", recorder);
        SipUserAgent.Call b = ua.newCall("sip:5999@127.0.0.1;transport=tcp", "v=0\r\n", recorder);
        a.sendInvite(1, null, null);
        b.sendInvite(1, null, null);
        Socket conn = pbx.accept();
        InputStream in = conn.getInputStream();
        OutputStream out = conn.getOutputStream();
        String inviteA = read(in);
        String inviteB = read(in);
        assertTrue(inviteA.startsWith("INVITE sip:5999@127.0.0.1;transport=tcp SIP/2.0\r\n"), inviteA);
        assertTrue(header(inviteA, "Via").startsWith("SIP/2.0/TCP 127.0.0.1:" + ua.localPort() + ";branch=z9hG4bK"));
        assertTrue(header(inviteA, "Via").endsWith(";alias"), "RFC 5923: the PBX may reuse our connection");
        assertEquals("<sip:recorder@127.0.0.1:" + ua.localPort() + ";transport=tcp>", header(inviteA, "Contact"));
        assertNotEquals(header(inviteA, "Call-ID"), header(inviteB, "Call-ID"));
        assertEquals(1, ua.connections(), "both dialogs on one connection");

        // a keep-alive ping gets its pong (RFC 5626); then both answers in one write, the second cut in three
        write(out, "\r\n\r\n");
        assertEquals('\r', in.read());
        assertEquals('\n', in.read());
        String okA = response(inviteA, "200 OK", "pa", "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\n");
        String okB = response(inviteB, "486 Busy Here", "pb", null);
        write(out, okA + okB.substring(0, 40));
        Thread.sleep(50);
        write(out, okB.substring(40, 90));
        Thread.sleep(50);
        write(out, okB.substring(90));
        Await.waitFor(() -> events.size() == 2);
        assertEquals(List.of("200 OK +sdp", "486 Busy Here"), events);
        String ackB = read(in);
        assertTrue(ackB.startsWith("ACK ") && header(ackB, "CSeq").equals("1 ACK"), ackB);
        a.sendAck(1);
        assertTrue(read(in).startsWith("ACK sip:5999@127.0.0.1:5060;transport=tcp SIP/2.0"));
        assertNull(readWithin(in, 1200), "no retransmission over TCP (Timer A is not started)");

        // the PBX's side closes the connection; the dialog goes on and our BYE opens a new one
        conn.close();
        Thread.sleep(200);
        assertEquals(0, ua.connections());
        a.sendBye();
        Socket again = pbx.accept();
        String bye = read(again.getInputStream());
        assertTrue(bye.startsWith("BYE sip:5999@127.0.0.1:5060;transport=tcp SIP/2.0"), bye);
        assertTrue(header(bye, "To").endsWith(";tag=pa"), "still in the dialog: " + bye);
        write(again.getOutputStream(), response(bye, "200 OK", null, null));
        Await.waitFor(() -> ua.dialogs() == 0); // a ended by its BYE's 200; b a T1 after its 486 (no retransmissions)
        assertEquals(1, ua.connections());
        assertEquals(0, ua.malformed());
        again.close();
    }

    private static String readWithin(InputStream in, int millis) throws IOException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (in.available() > 0) {
                return read(in);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return null;
    }

    @Test
    void aStreamWithoutContentLengthIsClosedAndCountedAndTheNextRequestReconnects() throws Exception {
        SipUserAgent.Call a = ua.newCall("sip:5999@127.0.0.1;transport=tcp", "v=0\r\n", recorder);
        a.sendInvite(1, null, null);
        Socket conn = pbx.accept();
        String invite = read(conn.getInputStream());
        write(conn.getOutputStream(), response(invite, "180 Ringing", "pc", null).replaceAll("Content-Length: 0\r\n",
                ""));
        Await.waitFor(() -> ua.malformed() == 1);
        assertEquals(-1, conn.getInputStream().read(), "the unframeable stream is closed by the user agent");
        assertTrue(events.isEmpty());
        a.sendInvite(2, null, null); // e.g. the answer to a challenge: goes out on a new connection
        Socket again = pbx.accept();
        assertTrue(read(again.getInputStream()).startsWith("INVITE "));
        again.close();
        conn.close();
    }

    @Test
    void aPbxThatRefusesTheConnectionFailsTheCallAtOnceNamingItsAddress() throws Exception {
        int port = pbx.getLocalPort();
        pbx.close();
        RecorderUserAgent lone = new RecorderUserAgent("tcp", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                null, "127.0.0.1", new InetSocketAddress("127.0.0.1", port), "recorder");
        try {
            lone.newCall("sip:5999@127.0.0.1;transport=tcp", "v=0\r\n", recorder).sendInvite(1, null, null);
            Await.waitFor(() -> !events.isEmpty());
            assertEquals(List.of("transport: cannot connect to the PBX at 127.0.0.1:" + port + " over tcp: Connection "
                    + "refused"), events);
            assertEquals(1, lone.transportErrors());
            assertEquals(0, lone.dialogs());
        } finally {
            lone.close();
        }
    }
}
