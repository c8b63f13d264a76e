package org.callrec.capture.wave.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.callrec.api.capture.CaptureException;
import org.callrec.api.capture.CaptureSession;
import org.callrec.capture.wave.internal.routepoint.Calls;
import org.callrec.capture.wave.internal.routepoint.FakeRecording;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Route Point over SIP on TCP and TLS with real peers: sipp over TCP ({@code -t t1}) as the
 * Route Point (digest challenge, answer, speech as RTP), and for TLS socat with OpenSSL terminating
 * TLS in front of sipp's TCP port, its certificate made at test time; the recorder verifies that
 * certificate against a trust store or a pinned certificate and refuses a wrong one with the reason.
 */
class SippRoutePointStreamTest extends SippRoutePointFixture {

    private TlsFront tls;

    SippRoutePointStreamTest() {
        super(45000);
    }

    @BeforeAll
    static void speech() throws Exception {
        makeSpeech("Over a stream, one connection carries every call to the route point.");
    }

    @AfterEach
    void stopTls() {
        if (tls != null) {
            tls.close();
        }
    }

    private static Map<String, String> routePoint(long holdMillis) {
        return routePoint("PCMU", 0, "speech.ul", holdMillis);
    }

    /** Records the speech from each of the started calls and checks it against the source. */
    private void recordAll(List<FakeRecording> recs, List<CaptureSession> sessions) throws Exception {
        long until = System.nanoTime() + (speech.length / 8 + 6000) * 1_000_000L;
        while (recs.stream().anyMatch(r -> r.audio().length < speech.length) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        for (CaptureSession s : sessions) {
            s.stop();
        }
        assertEquals(0, sipp.await(30), () -> "sipp: the Route Point calls did not go as scripted\n" + sipp.traces());
        for (FakeRecording rec : recs) {
            assertTrue(rec.audio().length >= speech.length, () -> "recorded " + rec.audio().length + " of "
                    + speech.length + " samples\n" + sipp.traces());
            assertTrue(rec.gaps.isEmpty(), rec.gaps.toString());
            Fidelity.Result r = Fidelity.compare(speech, rec.audio(), 8000);
            System.out.printf("Route Point PCMU over %s: lag %d samples, SNR %.2f dB%n",
                    capture.sipUserAgent().transportName(), r.lag(), r.snrDb());
            assertTrue(r.snrDb() >= 30, "SNR " + r.snrDb() + " dB < 30 dB");
        }
    }

    /**
     * Two Route Point calls at once over TCP, each challenged and streaming: both recorded above
     * 30 dB, and both dialogs ran over one connection to the PBX (connection reuse).
     */
    @Test
    void twoRoutePointCallsOverOneTcpConnectionAreRecordedWithDigestAbove30dB() throws Exception {
        sipp = Sipp.start("routepoint-uas.xml", routePoint(30_000), 2, dir, "t1");
        RoutePointCapture c = capture(sipp.sipPort, Map.of("sipTransport", "tcp"));
        List<FakeRecording> recs = List.of(new FakeRecording(), new FakeRecording());
        List<CaptureSession> sessions = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            sessions.add(c.start(Calls.request("tcp-" + i, recs.get(i))));
        }
        assertEquals("tcp", c.sipUserAgent().transportName());
        assertEquals(1, c.sipUserAgent().connections(), "one connection to the PBX carries both dialogs");
        assertTrue(c.check().details().stream().anyMatch(d -> d.contains("(tcp, connections 1) -> PBX 127.0.0.1:"
                + sipp.sipPort)), c.check().details().toString());
        assertTrue(sipp.traces().contains("SIP/2.0/TCP 127.0.0.1:" + c.sipUserAgent().localPort() + ";branch="),
                "our Via names TCP and our listening port");
        recordAll(recs, sessions);
        assertEquals(0, c.sipUserAgent().retransmissions(), "no retransmissions over a reliable transport");
    }

    private void tlsFront(String certName) throws Exception {
        sipp = Sipp.start("routepoint-uas.xml", routePoint(30_000), 1, dir, "t1");
        tls = TlsFront.start(dir, certName, sipp.sipPort);
    }

    /** TLS to socat (OpenSSL) in front of sipp; the PBX certificate is verified against a PKCS12 trust store. */
    @Test
    void aRoutePointCallOverTlsWithAVerifiedCertificateIsRecordedAbove30dB() throws Exception {
        Path cert = TlsFront.certificate(dir, "pbx", "/CN=callrec test PBX", "IP:127.0.0.1");
        Path store = TlsFront.trustStore(dir, cert, "trust-pw");
        tlsFront("pbx");
        RoutePointCapture c = capture(tls.port, Map.of("sipTransport", "tls", "sipTlsTrustStore", store.toString(),
                "sipTlsTrustStorePassword", "trust-pw"));
        FakeRecording rec = new FakeRecording();
        CaptureSession s = c.start(Calls.request("tls-1", rec));
        assertEquals("tls", c.sipUserAgent().transportName());
        assertTrue(sipp.traces().contains("INVITE sips:5999@127.0.0.1:" + tls.port + " SIP/2.0"),
                "a sips Request-URI over TLS (RFC 3261 26.2, RFC 5630)");
        assertTrue(sipp.traces().contains("Via: SIP/2.0/TLS 127.0.0.1;branch="), "our Via names TLS");
        assertTrue(c.check().details().stream().anyMatch(d -> d.startsWith("TLS: the PBX's certificate is verified "
                + "against the trust store sipTlsTrustStore=" + store)), c.check().details().toString());
        recordAll(List.of(rec), List.of(s));
    }

    private String refusedOverTls(Map<String, Object> trust) throws Exception {
        RoutePointCapture c = capture(tls.port, trust);
        CaptureException e = assertThrows(CaptureException.class, () -> c.start(Calls.request("tls-x",
                new FakeRecording())));
        assertEquals(1, c.sipUserAgent().transportErrors());
        assertTrue(c.check().details().stream().anyMatch(d -> d.contains(e.getMessage().substring(
                e.getMessage().indexOf("TLS handshake")))), c.check().details().toString());
        capture.deactivate();
        capture = null;
        System.out.println("refused: " + e.getMessage());
        return e.getMessage();
    }

    /**
     * A PBX whose certificate is not the one trusted, not in the JVM's trust store, or does not
     * name the address dialled, is refused: the call fails at once with a reason naming the peer,
     * the certificate and the cause, and no SIP message reaches the PBX.
     */
    @Test
    void anUntrustedOrMisnamedPbxCertificateIsRefusedWithTheHandshakeFailureExplained() throws Exception {
        TlsFront.certificate(dir, "pbx", "/CN=callrec test PBX", "IP:127.0.0.1");
        Path other = TlsFront.certificate(dir, "other", "/CN=some other PBX", "IP:127.0.0.1");
        Path misnamed = TlsFront.certificate(dir, "misnamed", "/CN=callrec misnamed PBX", "DNS:pbx.invalid");
        tlsFront("pbx");
        String peer = "TLS handshake with the PBX at 127.0.0.1:" + tls.port + " failed: its certificate (subject "
                + "'CN=callrec test PBX', issuer 'CN=callrec test PBX')";

        String wrong = refusedOverTls(Map.of("sipTransport", "tls", "sipTlsTrustedCertificate", other.toString()));
        assertTrue(wrong.endsWith("Route Point 5999 cannot be reached over tls: " + peer + " is not trusted by the "
                + "certificate in sipTlsTrustedCertificate=" + other), wrong);

        String unknown = refusedOverTls(Map.of("sipTransport", "tls"));
        assertTrue(unknown.endsWith(peer + " is not trusted by the JVM's default trust store (sipTlsTrustStore is "
                + "not set)"), unknown);

        tls.close();
        tls = TlsFront.start(dir, "misnamed", sipp.sipPort);
        String name = refusedOverTls(Map.of("sipTransport", "tls", "sipTlsTrustedCertificate", misnamed.toString()));
        assertTrue(name.contains("TLS handshake with the PBX at 127.0.0.1:" + tls.port + " failed: its certificate "
                + "(subject 'CN=callrec misnamed PBX', issuer 'CN=callrec misnamed PBX') does not name the PBX address "
                + "dialled (No subject alternative names"), name);
        // the same certificate pinned, with the name check off as the setting allows: accepted (the handshake
        // completes and the INVITE reaches sipp, which challenges it)
        RoutePointCapture c = capture(tls.port, Map.of("sipTransport", "tls", "sipTlsTrustedCertificate",
                misnamed.toString(), "sipTlsVerifyHostname", false));
        CaptureSession s = c.start(Calls.request("tls-pinned", new FakeRecording()));
        s.stop();
        assertEquals(0, sipp.await(30), () -> sipp.traces());
        assertEquals(2, java.util.regex.Pattern.compile("INVITE sips:5999@").matcher(sipp.traces()).results().count(),
                "only the accepted call's two INVITEs (challenged, then with credentials) reached sipp");
    }
}
