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

    /** TCP and TLS are accepted; TLS trust files are checked at activation, each mistake named. */
    @Test
    void sipTransportAndTlsTrustSettingsAreValidatedWithNamedErrors() throws Exception {
        capture = new RoutePointCapture();
        Map<String, Object> cfg = new HashMap<>(Map.of("ShoreTelTapiWaveRoutePointExtension", "5999", "transport", "sip",
                "sipPbxAddress", "127.0.0.1", "sipLocalAddress", "127.0.0.1", "sipTransport", "sctp"));
        capture.configure(config(cfg));
        assertEquals("no Route Point transport: SIP transport misconfigured: sipTransport=sctp is not allowed: udp, tcp "
                + "or tls", capture.check().message());

        cfg.put("sipTransport", "tls");
        cfg.put("sipTlsTrustedCertificate", "/nonexistent/pbx.crt");
        capture.configure(config(cfg));
        assertEquals("no Route Point transport: SIP transport misconfigured: sipTlsTrustedCertificate=/nonexistent/"
                + "pbx.crt: no such readable file", capture.check().message());

        java.nio.file.Path notACert = java.nio.file.Files.createTempFile("callrec", ".crt");
        java.nio.file.Files.writeString(notACert, "not a certificate");
        cfg.put("sipTlsTrustedCertificate", notACert.toString());
        capture.configure(config(cfg));
        assertTrue(capture.check().message().startsWith("no Route Point transport: SIP transport misconfigured: "
                + "sipTlsTrustedCertificate=" + notACert + " is not an X.509 certificate (PEM or DER)"),
                capture.check().message());

        cfg.put("sipTlsTrustStore", notACert.toString());
        capture.configure(config(cfg));
        assertTrue(capture.check().message().endsWith("sipTlsTrustStore and sipTlsTrustedCertificate are both set: set "
                + "one (a trust store, or the one certificate to trust)"), capture.check().message());

        cfg.remove("sipTlsTrustedCertificate");
        capture.configure(config(cfg));
        assertTrue(capture.check().message().contains("sipTlsTrustStore=" + notACert + " cannot be read ("),
                capture.check().message());
        assertTrue(capture.check().message().endsWith("a PKCS12 or JKS file is expected; check "
                + "sipTlsTrustStorePassword"), capture.check().message());
        java.nio.file.Files.delete(notACert);

        cfg.remove("sipTlsTrustStore");
        capture.configure(config(cfg)); // the JVM's default trust store
        assertEquals(HealthStatus.OK, capture.check().status(), capture.check().message());
        assertEquals("tls", capture.sipUserAgent().transportName());
        assertTrue(capture.check().details().contains("TLS: the PBX's certificate is verified against the JVM's default "
                + "trust store (sipTlsTrustStore is not set), and it must name the PBX address"),
                capture.check().details().toString());
        cfg.put("sipTransport", "tcp");
        capture.configure(config(cfg));
        assertEquals("tcp", capture.sipUserAgent().transportName());
        assertTrue(capture.sipUserAgent().localPort() > 0, "TCP listens for the PBX's own connections");
    }

    /** Sessions of the configuration before a change still hold Route Points: they count against the limit. */
    @Test
    void sessionsOfAnEarlierConfigurationCountAgainstTheCapacity() throws Exception {
        Map<String, Object> cfg = new HashMap<>(Map.of("ShoreTelTapiWaveRoutePointExtension", "5999",
                "maxRoutePointSessions", 2, "transport", "sip"));
        RoutePointCapture c = capture(cfg);
        org.callrec.api.capture.CaptureSession a = c.start(Calls.request("a", new FakeRecording()));
        cfg.put("routePointRedialDelayMillis", 500L);
        c.configure(config(cfg));
        assertEquals("1 of 2 Route Point sessions in use", c.check().message());
        assertTrue(c.check().details().contains("1 Route Point sessions still run under an earlier configuration; they "
                + "count against maxRoutePointSessions until their calls end"), c.check().details().toString());
        c.start(Calls.request("b", new FakeRecording()));
        CaptureException e = assertThrows(CaptureException.class, () -> c.start(Calls.request("c", new FakeRecording())));
        assertTrue(e.getMessage().startsWith("capacity reached (2 Route Point sessions)"), e.getMessage());
        a.stop();
        c.start(Calls.request("d", new FakeRecording()));
        assertEquals(HealthStatus.WARNING, c.check().status(), "b and d: all in use");
    }
}
