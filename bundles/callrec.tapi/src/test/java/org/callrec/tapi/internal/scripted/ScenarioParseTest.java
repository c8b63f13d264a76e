package org.callrec.tapi.internal.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Scenario files: every shipped one parses; mistakes are reported with scenario, step and what is wrong. */
class ScenarioParseTest {

    @Test
    void everyShippedScenarioParses() {
        for (String name : Scenario.SHIPPED) {
            Scenario s = Scenario.load(name);
            assertEquals(name, s.name());
            assertTrue(s.steps().size() >= 3, name);
        }
    }

    @Test
    void mistakesAreNamed() {
        assertMessage("JSON line 1 column 2", "{,}");
        assertMessage("'lines' must be a non-empty list", "{\"name\":\"x\",\"steps\":[]}");
        assertMessage("step 1: unknown key 'cal'", "{\"name\":\"x\",\"lines\":[\"1\"],\"steps\":[{\"cal\":\"a\"}]}");
        assertMessage("step 1: unknown LINECALLSTATE 'RINGING'",
                "{\"name\":\"x\",\"lines\":[\"1\"],\"steps\":[{\"call\":\"a\",\"line\":\"1\",\"state\":\"RINGING\",\"info\":{\"callId\":1}}]}");
        assertMessage("line '2' is not in 'lines'",
                "{\"name\":\"x\",\"lines\":[\"1\"],\"steps\":[{\"call\":\"a\",\"line\":\"2\",\"state\":\"IDLE\",\"info\":{\"callId\":1}}]}");
        assertMessage("needs 'line', 'state' and info.callId",
                "{\"name\":\"x\",\"lines\":[\"1\"],\"steps\":[{\"call\":\"a\",\"state\":\"IDLE\"}]}");
        assertMessage("no scripted PBX scenario 'nope'", null);
    }

    private static void assertMessage(String expected, String json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> { if (json == null) { Scenario.load("nope"); } else { Scenario.parse("t", json); } });
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
