package org.callrec.ha.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.callrec.api.ha.HaRole;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HaSettingsTest {

    private static final String PORT = "a port number 1-65535";
    private static final String MS = "a positive integer number of milliseconds";

    private static Map<String, Object> primary() {
        Map<String, Object> p = new HashMap<>();
        p.put("role", "PRIMARY");
        p.put("nodeId", "rec-a");
        p.put("peerAddress", "127.0.0.1");
        return p;
    }

    /** The importer's wording (callrec.core TapiSetting): key, value as written, what is allowed. */
    private static String expected(String key, String value, String allowed) {
        return key + ": value '" + value + "' is not valid; allowed: " + allowed;
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "65536", "99999", "2147483648", "99999999999", "abc", "", " ", "80.5", "8040x",
            "0x1F90", "1e3"})
    void everyInvalidPortIsRejectedNamingKeyValueAndRange(String bad) {
        for (String key : List.of("TapiWaveHeartbeatSendPort", "TapiWaveHeartbeatReceivePort")) {
            Map<String, Object> p = primary();
            p.put(key, bad);
            InvalidHaSettingException e = assertThrows(InvalidHaSettingException.class, () -> HaSettings.from(p));
            assertEquals(expected(key, bad, PORT), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "-0", "2147483648", "abc", "", "5s", "1.5", "5000ms"})
    void everyInvalidTimerIsRejectedNamingKeyValueAndRange(String bad) {
        Map<String, Object> p = primary();
        p.put("TapiWaveHeartbeatTimer", bad);
        InvalidHaSettingException e = assertThrows(InvalidHaSettingException.class, () -> HaSettings.from(p));
        assertEquals(expected("TapiWaveHeartbeatTimer", bad, MS), e.getMessage());
    }

    @Test
    void typedValuesFromTheConsoleAreCheckedToo() {
        Map<String, Object> p = primary();
        p.put("TapiWaveHeartbeatSendPort", 70000);
        p.put("TapiWaveHeartbeatReceivePort", 0L);
        p.put("TapiWaveHeartbeatTimer", -1);
        InvalidHaSettingException e = assertThrows(InvalidHaSettingException.class, () -> HaSettings.from(p));
        assertEquals(String.join("\n", expected("TapiWaveHeartbeatSendPort", "70000", PORT),
                expected("TapiWaveHeartbeatReceivePort", "0", PORT), expected("TapiWaveHeartbeatTimer", "-1", MS)),
                e.getMessage());
    }

    @Test
    void boundaryAndDefaultValuesAreAccepted() throws Exception {
        Map<String, Object> p = primary();
        p.put("TapiWaveHeartbeatSendPort", "1");
        p.put("TapiWaveHeartbeatReceivePort", " 65535 ");
        p.put("TapiWaveHeartbeatTimer", 2147483647L);
        HaSettings s = HaSettings.from(p);
        assertEquals(1, s.sendPort());
        assertEquals(65535, s.receivePort());
        assertEquals(Integer.MAX_VALUE, s.intervalMs());
        HaSettings d = HaSettings.from(primary());
        assertEquals(8040, d.sendPort());
        assertEquals(8041, d.receivePort());
        assertEquals(5000, d.intervalMs());
        assertEquals(5100, d.takeoverTimeoutMs());
        Map<String, Object> fast = primary();
        fast.put("TapiWaveHeartbeatTimer", 60);
        assertEquals(120, HaSettings.from(fast).takeoverTimeoutMs(), "allowance never exceeds one interval");
        assertEquals(HaRole.PRIMARY, d.role());
    }

    @Test
    void roleNodeIdPeerAndSkewAreChecked() {
        Map<String, Object> p = primary();
        p.put("role", "MASTER");
        p.put("nodeId", "x".repeat(65));
        p.put("heartbeatClockSkew", "0");
        InvalidHaSettingException e = assertThrows(InvalidHaSettingException.class, () -> HaSettings.from(p));
        assertEquals(String.join("\n", expected("role", "MASTER", "STANDALONE, PRIMARY or SECONDARY"),
                expected("nodeId", "x".repeat(65), "1-64 bytes (UTF-8) without leading or trailing spaces"),
                expected("heartbeatClockSkew", "0", MS)), e.getMessage());

        Map<String, Object> noPeer = primary();
        noPeer.remove("peerAddress");
        e = assertThrows(InvalidHaSettingException.class, () -> HaSettings.from(noPeer));
        assertTrue(e.getMessage().startsWith("peerAddress: value '' is not valid"), e.getMessage());
    }

    @Test
    void invalidConfigurationKeepsTheNodeRecordingAndReportsCritical() {
        HaNode node = new HaNode();
        Map<String, Object> p = primary();
        p.put("TapiWaveHeartbeatReceivePort", "80411");
        node.configure(p);
        try {
            assertTrue(node.isActive(), "an unconfigurable node must still record");
            assertEquals(1, node.configErrors());
            var report = node.check();
            assertEquals(org.callrec.api.health.HealthStatus.CRITICAL, report.status());
            assertTrue(report.details().contains(expected("TapiWaveHeartbeatReceivePort", "80411", PORT)),
                    report.details().toString());
        } finally {
            node.deactivate();
        }
    }
}
