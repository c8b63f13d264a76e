package org.callrec.capture.wave.internal.sip;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.callrec.api.rtp.PayloadFormat;
import org.junit.jupiter.api.Test;

class RouteSdpTest {

    @Test
    void theOfferAsksToReceivePcmuPcmaAndG729() {
        String o = RouteSdp.offer("192.0.2.10", 40000, 42);
        assertTrue(o.contains("c=IN IP4 192.0.2.10\r\n"), o);
        assertTrue(o.contains("m=audio 40000 RTP/AVP 0 8 18\r\n"), o);
        assertTrue(o.contains("a=rtpmap:18 G729/8000\r\n"), o);
        assertTrue(o.contains("a=recvonly\r\n"), o);
        RouteSdp.Answer self = RouteSdp.parseAnswer(o);
        assertEquals(List.of(PayloadFormat.PCMU, PayloadFormat.PCMA, PayloadFormat.G729), self.formats());
    }

    @Test
    void readsTheCodecAndAddressTheRoutePointChose() {
        RouteSdp.Answer a = RouteSdp.parseAnswer("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
                + "m=audio 6000 RTP/AVP 18 101\r\nc=IN IP4 10.0.0.7\r\na=rtpmap:18 G729/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\na=sendonly\r\n");
        assertEquals("10.0.0.7", a.address(), "media-level c= wins over the session's");
        assertEquals(6000, a.port());
        assertEquals(PayloadFormat.G729, a.format());
        RouteSdp.Answer dynamic = RouteSdp.parseAnswer("v=0\nc=IN IP4 10.0.0.1\nm=audio 6002 RTP/AVP 96\n"
                + "a=rtpmap:96 PCMA/8000\n");
        assertEquals(new PayloadFormat(96, "PCMA", 8000, 1, ""), dynamic.format());
    }

    @Test
    void unusableAnswersSayWhy() {
        assertEquals("the Route Point rejected the audio stream (m=audio port 0)", assertThrows(
                IllegalArgumentException.class, () -> RouteSdp.parseAnswer("c=IN IP4 1.2.3.4\nm=audio 0 RTP/AVP 0\n"))
                .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RouteSdp.parseAnswer("c=IN IP4 1.2.3.4\nm=audio 5000 RTP/AVP 9\na=rtpmap:9 G722/8000\n"))
                .getMessage().contains("none of the offered codecs"));
        assertEquals("the SDP answer has no audio stream",
                assertThrows(IllegalArgumentException.class, () -> RouteSdp.parseAnswer("v=0\n")).getMessage());
        assertEquals("the SDP answer has no connection address (c=)", assertThrows(IllegalArgumentException.class,
                () -> RouteSdp.parseAnswer("m=audio 5000 RTP/AVP 0\n")).getMessage());
    }

    /** RFC 3264: the answer to a re-INVITE keeps our origin with the next version and accepts what we decode. */
    @Test
    void reOffersAreAnsweredWithTheCodecsWeDecodeAndTheDirectionThatMirrorsTheOffer() {
        RouteSdp.Offer codec = RouteSdp.parseOffer("v=0\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8 101\r\n"
                + "a=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n");
        assertTrue(codec.sends());
        String answer = RouteSdp.answer("10.0.0.9", 20000, 77, 78, codec);
        assertTrue(answer.startsWith("v=0\r\no=callrec 77 78 IN IP4 10.0.0.9\r\n"), answer);
        assertTrue(answer.endsWith("m=audio 20000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=recvonly\r\n"), answer);

        RouteSdp.Offer inactive = RouteSdp.parseOffer("v=0\r\nc=IN IP4 10.0.0.1\r\na=inactive\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 0\r\n");
        assertFalse(inactive.sends(), "session-level a=inactive");
        assertTrue(RouteSdp.answer("10.0.0.9", 20000, 77, 79, inactive).endsWith("a=inactive\r\n"));

        RouteSdp.Offer zero = RouteSdp.parseOffer("v=0\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 4000 RTP/AVP 18\r\n"
                + "a=sendonly\r\n");
        assertTrue(zero.holdAddress());
        assertFalse(zero.sends(), "c=0.0.0.0 is hold (RFC 3264 8.4)");
        assertEquals(List.of(PayloadFormat.G729), zero.formats());

        RouteSdp.Offer removed = RouteSdp.parseOffer("v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 0 RTP/AVP 0\r\n");
        assertTrue(RouteSdp.answer("10.0.0.9", 20000, 77, 80, removed).endsWith("m=audio 0 RTP/AVP 0\r\n"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RouteSdp.parseOffer(
                "v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 9\r\na=rtpmap:9 G722/8000\r\n"));
        assertEquals("the offer lists none of our codecs (PCMU, PCMA, G729): payload types [9]", e.getMessage());
    }
}
