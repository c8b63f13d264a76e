package org.callrec.core.internal.qms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.callrec.api.mode.IntegrationMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QmsImportTest {

    private static QmsConfigFile parse(String xml) throws QmsImportException {
        return QmsConfigFile.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "test.config");
    }

    private static String addStyle(String key, String value) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <appSettings><add key=\"Other\" value=\"1\"/></appSettings>\n"
                + "  <Tapi>\n    <add key=\"ShoreTelTapiWaveRoutePointExtension\" value=\"7999\"/>\n"
                + "    <add key=\"" + key + "\" value=\"" + value + "\"/>\n  </Tapi>\n</configuration>\n";
    }

    private static QmsImport importOne(String key, String value, IntegrationMode mode) throws QmsImportException {
        return QmsImport.of(parse(addStyle(key, value)), mode);
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource({
        // key, value, accepted, expected typed value
        "TapiWaveHeartbeatSendPort, 0, false, ",
        "TapiWaveHeartbeatSendPort, 1, true, 1",
        "TapiWaveHeartbeatSendPort, 65535, true, 65535",
        "TapiWaveHeartbeatSendPort, 65536, false, ",
        "TapiWaveHeartbeatSendPort, -1, false, ",
        "TapiWaveHeartbeatSendPort, abc, false, ",
        "TapiWaveHeartbeatSendPort, '', false, ",
        "TapiWaveHeartbeatReceivePort, 0, false, ",
        "TapiWaveHeartbeatReceivePort, 1, true, 1",
        "TapiWaveHeartbeatReceivePort, 65535, true, 65535",
        "TapiWaveHeartbeatReceivePort, 65536, false, ",
        "TapiWaveHeartbeatReceivePort, -8041, false, ",
        "TapiWaveHeartbeatReceivePort, 80x41, false, ",
        "TapiWaveHeartbeatTimer, 0, false, ",
        "TapiWaveHeartbeatTimer, 1, true, 1",
        "TapiWaveHeartbeatTimer, 65535, true, 65535",
        "TapiWaveHeartbeatTimer, 65536, true, 65536",
        "TapiWaveHeartbeatTimer, -5000, false, ",
        "TapiWaveHeartbeatTimer, 5s, false, ",
        "TapiWaveHeartbeatTimer, 99999999999, false, ",
        "TapiWaveBuffersPerDevice, 0, false, ",
        "TapiWaveBuffersPerDevice, 1, false, ",
        "TapiWaveBuffersPerDevice, 2, true, 2",
        "TapiWaveBuffersPerDevice, 8, true, 8",
        "TapiWaveBuffersPerDevice, 65535, true, 65535",
        "TapiWaveBuffersPerDevice, 65536, true, 65536",
        "TapiWaveBuffersPerDevice, -4, false, ",
        "TapiWaveBuffersPerDevice, four, false, ",
        "EnableDnis, true, true, true",
        "EnableDnis, False, true, false",
        "EnableDnis, 1, false, ",
        "EnableDnis, yes, false, ",
        "ShoreTelTapiWaveRoutePointExtension, 0, true, 0",
        "ShoreTelTapiWaveRoutePointExtension, 65536, true, 65536",
        "ShoreTelTapiWaveRoutePointExtension, -1, false, ",
        "ShoreTelTapiWaveRoutePointExtension, ext7999, false, ",
        "ShoreTelTapiWaveRoutePointExtension, '', false, ",
    })
    void everyKeyHasItsRange(String key, String value, boolean accepted, String expected) throws Exception {
        String v = value == null ? "" : value;
        QmsImport r = importOne(key, v, IntegrationMode.SHORETEL_TAPI_WAVE);
        TapiSetting s = TapiSetting.byKey(key).orElseThrow();
        if (accepted) {
            assertTrue(r.ok(), () -> "expected accepted: " + r.errors());
            assertEquals(expected, String.valueOf(r.properties().get(s.pid()).get(key)));
        } else {
            assertFalse(r.ok(), key + "=" + v + " must be rejected");
            assertTrue(r.properties().isEmpty(), "nothing applied when a value is invalid");
            assertEquals(1, r.errors().size(), r.errors().toString());
            String msg = r.errors().get(0);
            assertTrue(msg.startsWith(key + ": value '" + v + "' is not valid; allowed: " + s.allowed()), msg);
        }
    }

    @Test
    void buffersAboveEightAreAcceptedWithAWarning() throws Exception {
        QmsImport r = importOne("TapiWaveBuffersPerDevice", "9", IntegrationMode.SHORETEL_TAPI);
        assertTrue(r.ok());
        assertEquals(9, r.properties().get("org.callrec.capture.wave").get("TapiWaveBuffersPerDevice"));
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("above 8 give no gain")), r.warnings().toString());
        QmsImport eight = importOne("TapiWaveBuffersPerDevice", "8", IntegrationMode.SHORETEL_TAPI);
        assertTrue(eight.warnings().isEmpty(), eight.warnings().toString());
    }

    @Test
    void routePointIsRequiredInWaveModeOnly() throws Exception {
        String xml = "<configuration><Tapi><add key=\"EnableDnis\" value=\"true\"/></Tapi></configuration>";
        QmsImport wave = QmsImport.of(parse(xml), IntegrationMode.SHORETEL_TAPI_WAVE);
        assertFalse(wave.ok());
        assertEquals(List.of("ShoreTelTapiWaveRoutePointExtension: missing; it is required in ShoreTel TAPI/Wave "
                + "(Route Point) mode (allowed: a PBX extension (1-15 digits); required in ShoreTel TAPI/Wave mode)"),
                wave.errors());
        QmsImport mirror = QmsImport.of(parse(xml), IntegrationMode.SHORETEL_TAPI);
        assertTrue(mirror.ok(), mirror.errors().toString());
        assertFalse(mirror.properties().getOrDefault("org.callrec.capture.wave", Map.of())
                .containsKey("ShoreTelTapiWaveRoutePointExtension"));
    }

    @Test
    void absentKeysGetTheDefaultsOfTheMission() throws Exception {
        QmsImport r = QmsImport.of(parse("<configuration><Tapi/></configuration>"), IntegrationMode.SHORETEL_TAPI);
        assertTrue(r.ok());
        assertEquals(Map.of("EnableDnis", false), r.properties().get("org.callrec.tapi"));
        assertEquals(Map.of("TapiWaveBuffersPerDevice", 4), r.properties().get("org.callrec.capture.wave"));
        assertEquals(Map.of("TapiWaveHeartbeatSendPort", 8040, "TapiWaveHeartbeatReceivePort", 8041,
                "TapiWaveHeartbeatTimer", 5000), r.properties().get("org.callrec.ha"));
    }

    @Test
    void attributeStyleSectionIsRead() throws Exception {
        QmsImport r = QmsImport.of(parse("<configuration><Tapi EnableDnis=\"true\" TapiWaveHeartbeatTimer=\"250\" "
                + "ShoreTelTapiWaveRoutePointExtension=\"7999\"/></configuration>"), IntegrationMode.SHORETEL_TAPI_WAVE);
        assertTrue(r.ok(), r.errors().toString());
        assertEquals(true, r.properties().get("org.callrec.tapi").get("EnableDnis"));
        assertEquals(250, r.properties().get("org.callrec.ha").get("TapiWaveHeartbeatTimer"));
        assertEquals("7999", r.properties().get("org.callrec.capture.wave").get("ShoreTelTapiWaveRoutePointExtension"));
    }

    @Test
    void unknownAndMiscasedKeysAreReportedNotFatal() throws Exception {
        QmsImport r = QmsImport.of(parse("<configuration><Tapi><add key=\"enablednis\" value=\"true\"/>"
                + "<add key=\"Frobnicate\" value=\"1\"/></Tapi></configuration>"), IntegrationMode.SHORETEL_TAPI);
        assertTrue(r.ok());
        assertEquals(List.of("enablednis (key names are case-sensitive: did you mean EnableDnis?)", "Frobnicate"),
                r.unknownKeys());
        assertEquals(false, r.properties().get("org.callrec.tapi").get("EnableDnis"), "the miscased key is not applied");
    }

    @Test
    void everyInvalidValueIsReportedAtOnce() throws Exception {
        QmsImport r = QmsImport.of(parse("<configuration><Tapi><add key=\"TapiWaveHeartbeatSendPort\" value=\"0\"/>"
                + "<add key=\"TapiWaveHeartbeatTimer\" value=\"x\"/></Tapi></configuration>"), IntegrationMode.SHORETEL_TAPI);
        assertEquals(2, r.errors().size(), r.errors().toString());
        assertTrue(r.report().endsWith("Nothing was changed.\n"));
    }

    @Test
    void malformedXmlIsAClearError() {
        QmsImportException e = assertThrows(QmsImportException.class,
                () -> parse("<configuration><Tapi><add key=\"EnableDnis\" value=\"true\"></Tapi>"));
        assertTrue(e.getMessage().startsWith("test.config: not a well-formed XML configuration file: "), e.getMessage());
    }

    @Test
    void missingSectionIsAClearError() {
        QmsImportException e = assertThrows(QmsImportException.class,
                () -> parse("<configuration><tapi EnableDnis=\"true\"/></configuration>"));
        assertEquals("test.config: no <Tapi> section found (the element name is case-sensitive)", e.getMessage());
    }

    @Test
    void externalEntitiesAreNeverResolved() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE c [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<configuration><Tapi><add key=\"EnableDnis\" value=\"&x;\"/></Tapi></configuration>";
        assertThrows(QmsImportException.class, () -> parse(xxe));
    }

    @Test
    void duplicateKeysUseTheLastAndWarn() throws Exception {
        QmsImport r = QmsImport.of(parse("<configuration><Tapi TapiWaveHeartbeatTimer=\"100\">"
                + "<add key=\"TapiWaveHeartbeatTimer\" value=\"200\"/></Tapi></configuration>"), IntegrationMode.SHORETEL_TAPI);
        assertEquals(200, r.properties().get("org.callrec.ha").get("TapiWaveHeartbeatTimer"));
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("more than once")));
    }
}
