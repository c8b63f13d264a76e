package org.callrec.capture.wave.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.callrec.api.audio.GapMarker;
import org.callrec.api.capture.CaptureSession;
import org.callrec.capture.wave.internal.routepoint.Await;
import org.callrec.capture.wave.internal.routepoint.Calls;
import org.callrec.capture.wave.internal.routepoint.FakeRecording;
import org.callrec.capture.wave.internal.sip.RecorderUserAgent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What changes during a Route Point call, with sipp as the Route Point: the PBX re-INVITEs (hold,
 * then resume with another codec; RFC 3264) and the recording goes on in the same file with the
 * hold as a gap; the administrator changes the SIP settings and the calls in progress keep their
 * Route Point leg on the old user agent until they end.
 */
class SippRoutePointMidCallTest extends SippRoutePointFixture {

    SippRoutePointMidCallTest() {
        super(46000);
    }

    @BeforeAll
    static void speech() throws Exception {
        makeSpeech("The call is put on hold, and then it comes back with another codec.");
    }

    private static final long TALK_MILLIS = 2000;
    private static final long HOLD_MILLIS = 2500;

    /**
     * Hold for longer than the RTP silence timeout (1 s here) and resume with another codec: one
     * recording, no drop, a HOLD gap as long as the Route Point was silent (by sipp's log), the
     * audio before it and the new codec's audio after it both as sent.
     *
     * @return the audio after the gap
     */
    private short[] holdAndResume(String holdSdp, String holdDirection, String holdAnswer, String codec2, int pt2,
            String audio2, int referenceLength) throws Exception {
        Map<String, String> v = new HashMap<>();
        v.put("audio1", audioDir.resolve("speech.ul").toString());
        v.put("talkMillis", String.valueOf(TALK_MILLIS));
        v.put("holdMillis", String.valueOf(HOLD_MILLIS));
        v.put("holdSdp", holdSdp);
        v.put("holdDirection", holdDirection);
        v.put("holdAnswer", holdAnswer);
        v.put("codec2", codec2);
        v.put("pt2", String.valueOf(pt2));
        v.put("audio2", audio2);
        sipp = Sipp.start("reinvite-uas.xml", v, 1, dir);
        capture(sipp.sipPort, Map.of("sipRtpSilenceMillis", 1000L));
        FakeRecording rec = new FakeRecording();
        CaptureSession session = capture.start(Calls.request("c-hold", rec));
        long until = System.nanoTime() + (TALK_MILLIS + HOLD_MILLIS + referenceLength / 8 + 8000) * 1_000_000L;
        while ((rec.gaps.isEmpty() || rec.audio().length < rec.gaps.get(0).startSample() + rec.gaps.get(0).samples()
                + referenceLength) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        session.stop();
        assertEquals(0, sipp.await(20), () -> "sipp: our answers to its re-INVITEs were not as expected\n"
                + sipp.traces());
        assertEquals(0, capture.stats().drops(), () -> "the hold is not a drop: " + capture.check().details() + "\n"
                + sipp.traces());
        assertNull(rec.closedWith, "one recording throughout; the recorder closes it");
        assertEquals(2, capture.sipUserAgent().reinvites());
        assertTrue(capture.check().details().stream().anyMatch(d -> d.contains("re-INVITEs answered 2")));
        assertEquals(1, rec.gaps.size(), rec.gaps::toString);
        GapMarker gap = rec.gaps.get(0);
        assertEquals(GapMarker.Reason.HOLD, gap.reason());

        // RTP stopped 100 ms before the hold re-INVITE and came back right after sipp's ACK of the resume
        List<Double> times = SippLog.times(sipp.traces(), List.of("UDP message sent \\(\\d+ bytes\\):\\s+INVITE ",
                "UDP message sent \\(\\d+ bytes\\):\\s+ACK [^\\n]*\\n(?:[^\\n]+\\n)*CSeq: 102 ACK"));
        double silentMillis = (times.get(1) - times.get(0)) * 1000 + 100;
        double gapMillis = gap.samples() / 8.0;
        System.out.printf("Route Point held (%s): silent %.1f ms by sipp's log, HOLD gap %.1f ms at %.3f s%n",
                holdDirection, silentMillis, gapMillis, gap.startSample() / 8000.0);
        assertEquals(silentMillis, gapMillis, 80, "the hold gap vs. the time the Route Point was silent");
        assertEquals(TALK_MILLIS / 1000.0, gap.startSample() / 8000.0, 0.25);

        short[] audio = rec.audio();
        int start = (int) gap.startSample();
        Fidelity.Result before = Fidelity.compare(Arrays.copyOf(speech, start - 800), audio, 400);
        assertTrue(before.snrDb() >= 30, "the audio before the hold: " + before);
        int after = (int) (gap.startSample() + gap.samples());
        return Arrays.copyOfRange(audio, after, audio.length);
    }

    /** a=inactive, then resumed with PCMA instead of PCMU: the PCMA audio right after the gap, above 30 dB. */
    @Test
    void holdWithInactiveThenResumeWithPcmaIsOneFileWithAHoldGapAndThePcmaDecoded() throws Exception {
        short[] second = holdAndResume("c=IN IP4 127.0.0.1", "a=inactive", "inactive", "PCMA", 8,
                audioDir.resolve("speech.al").toString(), speech.length);
        Fidelity.Result r = Fidelity.compare(speech, second, 400);
        System.out.printf("after the hold, PCMA: lag %d, SNR %.2f dB%n", r.lag(), r.snrDb());
        assertTrue(r.snrDb() >= 30, "PCMA after the hold: " + r);
        assertTrue(r.lag() <= 160, "the resumed audio starts where the gap ends: " + r);
    }

    /**
     * c=0.0.0.0 (RFC 2543 hold, RFC 3264 8.4), then resumed with G.729: after the gap, exactly
     * bcg729's decode of the payload sent.
     */
    @Test
    void holdWithZeroAddressThenResumeWithG729IsDecodedAsBcg729Does() throws Exception {
        short[] reference = SpeechAudio.g729(audioDir);
        short[] second = holdAndResume("c=IN IP4 0.0.0.0", "a=sendonly", "recvonly", "G729", 18,
                audioDir.resolve("speech.g729").toString(), reference.length);
        Fidelity.Result r = Fidelity.compare(reference, second, 400);
        assertEquals(0, r.lag(), "the resumed leg's first packet is the first sample after the gap");
        int differ = 0;
        for (int i = 0; i < reference.length; i++) {
            differ += i < second.length && second[i] == reference[i] ? 0 : 1;
        }
        assertEquals(0, differ, "samples after the hold that differ from bcg729's decode, of " + reference.length);
    }

    /**
     * The SIP settings change twice during a call: a change that keeps the socket (a timeout) keeps
     * the user agent; a wrong setting refuses new calls only; a new local port makes a new agent,
     * while the call in progress keeps its
     * dialog on the old agent, records on without a gap and hangs up there with BYE; the old agent
     * closes once that call has ended; a new call goes through the new agent.
     */
    @Test
    void aCallInProgressKeepsItsRoutePointLegAcrossSipSettingsChanges() throws Exception {
        sipp = Sipp.start("routepoint-uas.xml", routePoint("PCMU", 0, "speech.ul", 30_000), 2, dir);
        int firstPort = Sipp.freeUdpPort();
        Map<String, Object> cfg = sipConfig(sipp.sipPort);
        cfg.put("sipLocalPort", firstPort);
        newCapture(cfg);
        RecorderUserAgent first = capture.sipUserAgent();
        FakeRecording rec1 = new FakeRecording();
        CaptureSession call1 = capture.start(Calls.request("c-before", rec1));
        Thread.sleep(500);

        cfg.put("sipAnswerTimeoutMillis", 20_000L);
        capture.configure(RoutePointCaptureTest.config(cfg));
        assertSame(first, capture.sipUserAgent(), "same socket: the same user agent");
        assertTrue(capture.retiredUserAgents().isEmpty());

        // a wrong setting refuses new calls and leaves the running one alone
        Map<String, Object> wrong = new HashMap<>(cfg);
        wrong.put("sipTransport", "tls");
        wrong.put("sipTlsTrustedCertificate", "/nonexistent.crt");
        capture.configure(RoutePointCaptureTest.config(wrong));
        assertEquals(org.callrec.api.health.HealthStatus.CRITICAL, capture.check().status());
        assertThrows(org.callrec.api.capture.CaptureException.class,
                () -> capture.start(Calls.request("c-refused", new FakeRecording())));
        assertFalse(first.isClosed());
        int heard = rec1.audio().length;
        Thread.sleep(300);
        assertTrue(rec1.audio().length > heard, "the call in progress records on");

        int secondPort = Sipp.freeUdpPort();
        cfg.put("sipLocalPort", secondPort);
        capture.configure(RoutePointCaptureTest.config(cfg));
        RecorderUserAgent second = capture.sipUserAgent();
        assertNotSame(first, second);
        assertEquals(secondPort, second.localPort());
        assertEquals(List.of(first), capture.retiredUserAgents(), "the old agent is kept for the call in progress");
        assertFalse(first.isClosed());
        assertEquals(1, first.dialogs());
        assertTrue(capture.check().details().stream().anyMatch(d -> d.startsWith("previous SIP user agent (udp, PBX "
                + "127.0.0.1:" + sipp.sipPort + ") kept for 1 Route Point calls in progress")),
                capture.check().details().toString());

        FakeRecording rec2 = new FakeRecording();
        CaptureSession call2 = capture.start(Calls.request("c-after", rec2));
        assertEquals(1, second.dialogs(), "the new call goes through the new agent");
        assertEquals(1, first.dialogs());

        long until = System.nanoTime() + (speech.length / 8 + 5000) * 1_000_000L;
        while (rec1.audio().length < speech.length && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        call1.stop();
        assertTrue(rec1.gaps.isEmpty(), rec1.gaps::toString);
        Fidelity.Result r = Fidelity.compare(speech, rec1.audio(), 8000);
        assertTrue(r.snrDb() >= 30, "the call in progress recorded on across both changes: " + r);
        Await.waitFor(first::isClosed);
        assertTrue(capture.retiredUserAgents().isEmpty());
        assertTrue(sipp.traces().contains("UDP message received [") && sipp.traces().matches(
                "(?s).*BYE sip:5999@127\\.0\\.0\\.1:\\d+ SIP/2\\.0\\r?\\nVia: SIP/2\\.0/UDP 127\\.0\\.0\\.1:" + firstPort
                        + ";.*"), "call 1's BYE left from the old agent's port");
        call2.stop();
        assertEquals(0, sipp.await(20), () -> "sipp: both calls end with our BYE\n" + sipp.traces());
        assertFalse(second.isClosed());
    }
}
