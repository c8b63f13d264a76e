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
    void stepsAtFixedTimesAreSpacedTheSameOnTheWallClock() {
        Scenario s = Scenario.parse("t", "{\"name\":\"t\",\"lines\":[\"1001\"],\"steps\":["
                + "{\"at\":1000,\"call\":\"a\",\"line\":\"1001\",\"state\":\"OFFERING\",\"info\":{\"callId\":1}},"
                + "{\"at\":4500,\"call\":\"a\",\"state\":\"CONNECTED\"},"
                + "{\"call\":\"a\",\"state\":\"DISCONNECTED\"}]}");
        assertEquals(java.util.List.of(1000L, 4500L, 4900L), s.steps().stream().map(Scenario.Step::offsetMs).toList());
        assertEquals(java.util.List.of(1000L, 3500L, 400L), s.steps().stream().map(Scenario.Step::afterMs).toList());
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
        assertMessage("scenario t: unknown key 'step'", "{\"name\":\"x\",\"lines\":[\"1\"],\"step\":[]}");
        assertMessage("'start' must be an ISO-8601 time",
                "{\"name\":\"x\",\"start\":\"yesterday\",\"lines\":[\"1\"],\"steps\":[{\"link\":\"REINIT\"}]}");
        assertMessage("step 2: give 'after' or 'at', not both",
                "{\"name\":\"x\",\"lines\":[\"1\"],\"steps\":[{\"link\":\"REINIT\"},{\"at\":5,\"after\":5,\"link\":\"REINIT\"}]}");
        assertMessage("step 2: 'at' 100 ms is in the past: the step before takes effect at 500 ms",
                "{\"name\":\"x\",\"lines\":[\"1\"],\"steps\":[{\"at\":500,\"link\":\"REINIT\"},{\"at\":100,\"link\":\"REINIT\"}]}");
        assertMessage("step 1: 'info' must be an object",
                "{\"name\":\"x\",\"lines\":[\"1\"],\"steps\":[{\"call\":\"a\",\"line\":\"1\",\"state\":\"IDLE\",\"info\":7}]}");
    }

    @Test
    void aFileIsNamedInEveryMessage(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path f = dir.resolve("calls.json");
        java.nio.file.Files.writeString(f, "{\"name\":\"calls\",\"lines\":[\"1001\"],\"steps\":[{\"call\":\"a\","
                + "\"line\":\"1002\",\"state\":\"OFFERING\",\"info\":{\"callId\":1}}]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.load(f));
        assertTrue(e.getMessage().startsWith("scenario file " + f + ": scenario calls step 1: line '1002' is not in"),
                e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Scenario.load(dir.resolve("none.json")));
        assertTrue(missing.getMessage().contains("none.json: unreadable"), missing.getMessage());
    }

    private static void assertMessage(String expected, String json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> { if (json == null) { Scenario.load("nope"); } else { Scenario.parse("t", json); } });
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
