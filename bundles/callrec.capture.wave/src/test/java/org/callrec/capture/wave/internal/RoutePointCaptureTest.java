package org.callrec.capture.wave.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import org.callrec.api.capture.CaptureException;
import org.callrec.api.health.HealthReport;
import org.callrec.api.health.HealthStatus;
import org.callrec.api.mode.IntegrationMode;
import org.callrec.capture.wave.internal.routepoint.Calls;
import org.callrec.capture.wave.internal.routepoint.FakeRecording;
import org.callrec.capture.wave.internal.routepoint.ScriptedTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RoutePointCaptureTest {

    private final ScriptedTransport transport = new ScriptedTransport();
    private final Map<String, String> chosen = new HashMap<>();
    private RoutePointCapture capture;

    /** The configuration as ConfigAdmin would hand it over: defaults unless given. */
    static WaveConfig config(Map<String, Object> values) {
        return (WaveConfig) Proxy.newProxyInstance(WaveConfig.class.getClassLoader(), new Class<?>[] {WaveConfig.class},
                (proxy, method, args) -> values.containsKey(method.getName()) ? values.get(method.getName())
                        : method.getDefaultValue());
    }

    private RoutePointCapture capture(Map<String, Object> values) {
        capture = new RoutePointCapture((name, cfg, problem) -> {
            chosen.put("name", name);
            return transport;
        });
        capture.configure(config(values));
        return capture;
    }

    @AfterEach
    void stop() {
        if (capture != null) {
            capture.deactivate();
        }
    }

    @Test
    void aMissingRoutePointExtensionIsAConfigurationErrorForEveryRequestAndTheHealthCheck() {
        RoutePointCapture c = capture(Map.of());
        CaptureException e = assertThrows(CaptureException.class, () -> c.start(Calls.request("c1", new FakeRecording())));
        assertEquals("TAPI/Wave capture is misconfigured: ShoreTelTapiWaveRoutePointExtension is not set: it is required"
                + " in ShoreTel TAPI/Wave mode; no call can be recorded until it is (configuration "
                + "org.callrec.capture.wave)", e.getMessage());
        HealthReport r = c.check();
        assertEquals(HealthStatus.CRITICAL, r.status());
        assertTrue(r.message().contains("ShoreTelTapiWaveRoutePointExtension is not set"), r.message());
        assertTrue(transport.dials.isEmpty());
        assertEquals(IntegrationMode.SHORETEL_TAPI_WAVE, c.mode());
    }

    @Test
    void valuesOutsideTheirRangeAreNamedErrors() {
        RoutePointCapture c = capture(Map.of("ShoreTelTapiWaveRoutePointExtension", "5999",
                "TapiWaveBuffersPerDevice", 1, "systemConferenceExtensions", "80a"));
        HealthReport r = c.check();
        assertEquals(HealthStatus.CRITICAL, r.status());
        assertTrue(r.message().contains("TapiWaveBuffersPerDevice=1 is not allowed: it must be an integer greater than 1"),
                r.message());
        assertTrue(r.message().contains("systemConferenceExtensions: '80a' is not an extension"), r.message());
        capture.configure(config(Map.of("ShoreTelTapiWaveRoutePointExtension", "5999", "maxRoutePointSessions", 0)));
        assertTrue(capture.check().message().contains("maxRoutePointSessions must be >= 1: 0"), capture.check().message());
    }

    @Test
    void recordsThroughTheTransportAndReportsCapacityInItsHealth() throws Exception {
        RoutePointCapture c = capture(Map.of("ShoreTelTapiWaveRoutePointExtension", " 5999 ", "maxRoutePointSessions", 2,
                "transport", "sip"));
        assertEquals("sip", chosen.get("name"));
        assertEquals(HealthStatus.OK, c.check().status());
        assertTrue(c.check().details().stream().anyMatch(d -> d.startsWith("systemConferenceExtensions is not set")));
        c.start(Calls.request("a", new FakeRecording()));
        c.start(Calls.request("b", new FakeRecording()));
        assertEquals("5999", transport.dials.get(0).routePointExtension());
        CaptureException e = assertThrows(CaptureException.class, () -> c.start(Calls.request("c", new FakeRecording())));
        assertTrue(e.getMessage().startsWith("capacity reached (2 Route Point sessions)"), e.getMessage());
        HealthReport r = c.check();
        assertEquals(HealthStatus.WARNING, r.status());
        assertEquals("capacity reached (2 Route Point sessions): new calls are refused", r.message());
        assertTrue(r.details().stream().anyMatch(d -> d.contains("capacity refusals 1")), r.details().toString());
    }

    @Test
    void withoutATransportRequestsAreRefusedWithTheReason() {
        capture = new RoutePointCapture();
        capture.configure(config(Map.of("ShoreTelTapiWaveRoutePointExtension", "5999", "transport", "sip")));
        CaptureException e = assertThrows(CaptureException.class,
                () -> capture.start(Calls.request("c1", new FakeRecording())));
        assertEquals("no Route Point transport: SIP transport misconfigured: sipPbxAddress is not set: the SIP "
                + "transport needs the PBX address", e.getMessage());
        assertEquals(HealthStatus.CRITICAL, capture.check().status());
        capture.configure(config(Map.of("ShoreTelTapiWaveRoutePointExtension", "5999", "transport", "carrier-pigeon")));
        assertTrue(capture.check().message().contains("transport 'carrier-pigeon' is not allowed: use auto, winmm or sip"));
    }
}
