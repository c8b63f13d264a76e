package org.callrec.capture.wave.internal.sip;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;

import org.callrec.api.rtp.PayloadFormat;
import org.junit.jupiter.api.Test;

/** The Route Point INVITE dialog against a scripted SIP peer (the PBX's Route Point). */
class RoutePointInviteTest {

    static final String ANSWER = "v=0\r\no=pbx 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
            + "m=audio 6000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";

    final List<String> sent = new ArrayList<>();

    final RoutePointInvite.Port port = new RoutePointInvite.Port() {
        @Override
        public void sendInvite(int cseq, String authHeader, String authValue) {
            sent.add("INVITE " + cseq + (authHeader == null ? "" : " " + authHeader + ": " + authValue));
        }

        @Override
        public void sendAck(int cseq) {
            sent.add("ACK " + cseq);
        }

        @Override
        public void sendCancel() {
            sent.add("CANCEL");
        }

        @Override
        public void sendBye() {
            sent.add("BYE");
        }

        @Override
        public void answered(RouteSdp.Answer answer) {
            sent.add("answered " + answer.format().encoding() + " from " + answer.address() + ":" + answer.port());
        }

        @Override
        public void streaming() {
            sent.add("streaming");
        }

        @Override
        public void failed(String reason) {
            sent.add("failed: " + reason);
        }

        @Override
        public void dropped(String reason) {
            sent.add("dropped: " + reason);
        }
    };

    static SipRoutePointSettings settings(String user, String password) {
        return new SipRoutePointSettings("10.0.0.1", 5060, "udp", user, password, 40000, 40100, 32_000, 5_000, 3_000);
    }

    RoutePointInvite invite(String user, String password) {
        return new RoutePointInvite("5999", "sip:5999@10.0.0.1", settings(user, password), "0a4f113b", port);
    }

    @Test
    void inviteAnswerAckRtpAndByeFromUs() {
        RoutePointInvite i = invite("", "");
        i.start(0);
        i.response(10, 100, "Trying", null, null);
        i.response(20, 180, "Ringing", null, null);
        i.response(30, 200, "OK", null, ANSWER);
        assertEquals(RoutePointInvite.State.ANSWERED, i.state());
        i.rtp(50);
        i.rtp(70);
        i.tick(2000);
        i.response(2100, 200, "OK", null, ANSWER); // retransmitted 2xx: our ACK was lost
        i.hangUp(3000);
        assertEquals(List.of("INVITE 1", "ACK 1", "answered PCMA from 10.0.0.1:6000", "streaming", "ACK 1", "BYE"), sent);
        assertEquals(RoutePointInvite.State.ENDED, i.state());
    }

    @Test
    void aDigestChallengeIsAnsweredOnceWithTheNextCseq() {
        RoutePointInvite i = invite("Mufasa", "Circle Of Life");
        i.start(0);
        i.response(10, 407, "Proxy Authentication Required", "Digest realm=\"testrealm@host.com\", qop=\"auth\", "
                + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\"", null);
        assertEquals(2, sent.size());
        String second = sent.get(1);
        assertTrue(second.startsWith("INVITE 2 Proxy-Authorization: Digest username=\"Mufasa\""), second);
        assertTrue(second.contains("uri=\"sip:5999@10.0.0.1\""), second);
        DigestAuth.Challenge c = DigestAuth.parse("Digest realm=\"testrealm@host.com\", qop=\"auth\", "
                + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\"");
        assertTrue(second.contains("response=\"" + DigestAuth.response(c, "INVITE", "sip:5999@10.0.0.1", "Mufasa",
                "Circle Of Life", "0a4f113b", "00000001") + "\""), second);
        i.response(20, 200, "OK", null, ANSWER);
        assertEquals("ACK 2", sent.get(2));
    }

    @Test
    void rejectedCredentialsFailWithTheUserNamed() {
        RoutePointInvite i = invite("rec", "wrong");
        i.start(0);
        i.response(10, 401, "Unauthorized", "Digest realm=\"pbx\", nonce=\"n1\"", null);
        i.response(20, 401, "Unauthorized", "Digest realm=\"pbx\", nonce=\"n2\"", null);
        assertEquals("failed: the PBX rejected the SIP credentials of user 'rec' for Route Point 5999 (401 Unauthorized "
                + "again after answering its challenge)", sent.get(sent.size() - 1));
    }

    @Test
    void aChallengeWithoutCredentialsFailsSayingSo() {
        RoutePointInvite i = invite("", "");
        i.start(0);
        i.response(10, 401, "Unauthorized", "Digest realm=\"pbx\", nonce=\"n1\"", null);
        assertEquals(List.of("INVITE 1", "failed: the PBX demands digest authentication for Route Point 5999 "
                + "(401 Unauthorized) but no SIP user and password are configured"), sent);
    }

    @Test
    void busyAndNotFoundAreReportedWithTheirReason() {
        RoutePointInvite busy = invite("", "");
        busy.start(0);
        busy.response(10, 486, "Busy Here", null, null);
        RoutePointInvite missing = invite("", "");
        missing.start(0);
        missing.response(10, 404, "Not Found", null, null);
        assertEquals(List.of("INVITE 1", "failed: Route Point 5999 busy (486 Busy Here): all its ports are in use",
                "INVITE 1", "failed: Route Point 5999 not found on the PBX (404 Not Found): check "
                        + "ShoreTelTapiWaveRoutePointExtension"), sent);
    }

    @Test
    void noAnswerInTimeIsCancelledAndReportedAsATimeout() {
        RoutePointInvite i = invite("", "");
        i.start(0);
        i.response(100, 180, "Ringing", null, null);
        i.tick(31_999);
        assertEquals(List.of("INVITE 1"), sent);
        i.tick(32_000);
        assertEquals("CANCEL", sent.get(1));
        i.response(32_100, 487, "Request Terminated", null, null);
        assertEquals("failed: Route Point 5999 did not answer within 32 s (timeout)", sent.get(2));
    }

    @Test
    void anAnswerRacingTheCancelIsAckedAndHungUp() {
        RoutePointInvite i = invite("", "");
        i.start(0);
        i.tick(32_000);
        i.response(32_010, 200, "OK", null, ANSWER);
        assertEquals(List.of("INVITE 1", "CANCEL", "ACK 1", "BYE",
                "failed: Route Point 5999 did not answer within 32 s (timeout)"), sent);
    }

    @Test
    void noRtpAfterTheAnswerHangsUpAndFails() {
        RoutePointInvite i = invite("", "");
        i.start(0);
        i.response(10, 200, "OK", null, ANSWER);
        i.tick(5_009);
        assertEquals(RoutePointInvite.State.ANSWERED, i.state());
        i.tick(5_010);
        assertEquals(List.of("INVITE 1", "ACK 1", "answered PCMA from 10.0.0.1:6000", "BYE",
                "failed: no RTP from Route Point 5999 within 5 s after it answered"), sent);
    }

    @Test
    void rtpThatStopsOrAByeFromThePbxDropsTheLeg() {
        RoutePointInvite stops = invite("", "");
        stops.start(0);
        stops.response(10, 200, "OK", null, ANSWER);
        stops.rtp(100);
        stops.tick(3_099);
        assertEquals(RoutePointInvite.State.STREAMING, stops.state());
        stops.tick(3_100);
        assertEquals("dropped: RTP from Route Point 5999 stopped for 3 s", sent.get(sent.size() - 1));
        assertEquals("BYE", sent.get(sent.size() - 2));

        sent.clear();
        RoutePointInvite bye = invite("", "");
        bye.start(0);
        bye.response(10, 200, "OK", null, ANSWER);
        bye.rtp(20);
        bye.byeReceived(500);
        assertEquals(List.of("INVITE 1", "ACK 1", "answered PCMA from 10.0.0.1:6000", "streaming",
                "dropped: Route Point 5999 hung up (BYE)"), sent);
    }

    @Test
    void anUnusableSdpAnswerIsAckedHungUpAndExplained() {
        RoutePointInvite i = invite("", "");
        i.start(0);
        i.response(10, 200, "OK", null, "v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 6000 RTP/AVP 9\r\n");
        assertEquals(List.of("INVITE 1", "ACK 1", "BYE", "failed: Route Point 5999 answered with an unusable SDP: the SDP "
                + "answer lists none of the offered codecs (PCMU, PCMA, G729): payload types [9]"), sent);
    }

    @Test
    void settingsOutsideTheirRangeAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SipRoutePointSettings("", 5060, "udp", "", "",
                40000, 40100, 1, 1, 1)).getMessage().startsWith("sipPbxAddress is not set"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SipRoutePointSettings("pbx", 5060, "sctp", "",
                "", 40000, 40100, 1, 1, 1)).getMessage().startsWith("sipTransport=sctp is not allowed"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SipRoutePointSettings("pbx", 5060, "udp", "",
                "", 40001, 40100, 1, 1, 1)).getMessage().startsWith("rtpPorts=40001-40100 is not allowed"));
        assertEquals(PayloadFormat.PCMU, RouteSdp.OFFERED.get(0));
    }
}
