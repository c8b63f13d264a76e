package org.callrec.core.internal.qms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportConfigCommandTest {

    @TempDir
    Path dir;

    private int run(String... args) {
        return ImportConfigCommand.run(args, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void writesFelixConfigFilesAndKeepsOtherKeys() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("org.callrec.ha.config"), "# mine\nsecret=\"s3\"\nTapiWaveHeartbeatTimer=I\"9\"\n");
        Path file = dir.resolve("CallRecordingService.exe.config");
        Files.writeString(file, "<configuration><Tapi><add key=\"TapiWaveHeartbeatTimer\" value=\"250\"/>"
                + "<add key=\"EnableDnis\" value=\"true\"/></Tapi></configuration>");
        assertEquals(0, run(file.toString(), "--conf", conf.toString()));
        assertEquals(List.of("# mine", "secret=\"s3\"", "TapiWaveHeartbeatTimer=I\"250\"",
                "TapiWaveHeartbeatSendPort=I\"8040\"", "TapiWaveHeartbeatReceivePort=I\"8041\""),
                Files.readAllLines(conf.resolve("org.callrec.ha.config")));
        assertEquals(List.of("EnableDnis=B\"true\""), Files.readAllLines(conf.resolve("org.callrec.tapi.config")));
    }

    @Test
    void invalidValueWritesNothingAndExitsOne() throws Exception {
        Path conf = dir.resolve("conf");
        Path file = dir.resolve("x.config");
        Files.writeString(file, "<configuration><Tapi><add key=\"TapiWaveHeartbeatSendPort\" value=\"65536\"/></Tapi></configuration>");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = ImportConfigCommand.run(new String[] {file.toString(), "--conf", conf.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(1, rc);
        assertFalse(Files.exists(conf));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(
                "ERROR   TapiWaveHeartbeatSendPort: value '65536' is not valid; allowed: a port number 1-65535"));
    }

    @Test
    void waveModeFromConfRequiresRoutePoint() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("org.callrec.core.mode.config"), "mode=\"shoretel-tapi-wave\"\n");
        Path file = dir.resolve("x.config");
        Files.writeString(file, "<configuration><Tapi EnableDnis=\"false\"/></configuration>");
        assertEquals(1, run(file.toString(), "--conf", conf.toString()));
        assertEquals(0, run(file.toString(), "--conf", conf.toString(), "--mode", "shoretel-tapi"));
    }

    @Test
    void unreadableInputExitsTwo() throws Exception {
        Path bad = dir.resolve("bad.config");
        Files.writeString(bad, "not xml at all");
        assertEquals(2, run(bad.toString(), "--conf", dir.resolve("conf").toString()));
        assertEquals(2, run(dir.resolve("missing.config").toString()));
        assertEquals(2, run());
    }
}
