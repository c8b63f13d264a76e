package org.callrec.capture.wave.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the sipp Route Point tests share: speech made at test time once per class, sipp as the
 * PBX's Route Point on loopback, the capture configured against it as in shoretel-tapi-wave mode
 * with callrec.rtp's real play-out, and both torn down after each test. Each test class takes its
 * own RTP port range, so the classes never meet on a port.
 */
abstract class SippRoutePointFixture {

    @TempDir
    static Path audioDir;
    @TempDir
    Path dir;

    /** The speech the Route Point streams, as the class made it with {@link #makeSpeech}. */
    static short[] speech;
    RoutePointCapture capture;
    Sipp sipp;
    private final int rtpPortMin;

    SippRoutePointFixture(int rtpPortMin) {
        this.rtpPortMin = rtpPortMin;
    }

    /** Makes the class's speech (and its G.711/G.729 files in audioDir); call it from a {@code @BeforeAll}. */
    static void makeSpeech(String text) throws Exception {
        speech = SpeechAudio.make(audioDir, text);
    }

    @AfterEach
    void stopCaptureAndSipp() {
        if (capture != null) {
            capture.deactivate();
        }
        if (sipp != null) {
            sipp.close();
        }
    }

    /** The values of routepoint-uas.xml: digest as the recorder's SIP user, Route Point 5999, one file sent once. */
    static Map<String, String> routePoint(String codec, int pt, String file, long holdMillis) {
        Map<String, String> v = new HashMap<>();
        v.put("realm", "pbx.test");
        v.put("user", "recorder");
        v.put("password", "s3cret");
        v.put("routePoint", "5999");
        v.put("codec", codec);
        v.put("pt", String.valueOf(pt));
        v.put("audio", audioDir.resolve(file).toString());
        v.put("holdMillis", String.valueOf(holdMillis));
        v.put("loops", "1");
        return v;
    }

    /** The capture's settings for Route Point 5999 on the PBX at 127.0.0.1:pbxPort, as a map to add to. */
    Map<String, Object> sipConfig(int pbxPort) {
        return new HashMap<>(Map.of("ShoreTelTapiWaveRoutePointExtension", "5999", "transport", "sip",
                "sipPbxAddress", "127.0.0.1", "sipPbxPort", pbxPort, "sipUser", "recorder", "sipPassword", "s3cret",
                "sipLocalAddress", "127.0.0.1", "rtpPortMin", rtpPortMin, "rtpPortMax", rtpPortMin + 99));
    }

    /** A new capture (kept in {@link #capture} for the teardown) configured with {@code cfg}. */
    RoutePointCapture newCapture(Map<String, Object> cfg) {
        capture = new RoutePointCapture(RealRtp.playoutsUnchecked());
        capture.configure(RoutePointCaptureTest.config(cfg));
        return capture;
    }

    /** A new capture with {@link #sipConfig} for the PBX port and {@code extra} over it. */
    RoutePointCapture capture(int pbxPort, Map<String, Object> extra) {
        Map<String, Object> cfg = sipConfig(pbxPort);
        cfg.putAll(extra);
        return newCapture(cfg);
    }
}
