package org.callrec.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code callrec demo}: the runtime on its own home ({@code <home>/demo}) in port-mirror mode,
 * with the scripted PBX playing its scenarios in a loop, two demo users whose phones are loopback
 * addresses, the capture on {@code lo}, and the demo phones sending RTP there, so calls show on
 * Real-Time Activity and recordings appear. Embedded defaults only; the real home is not touched.
 */
final class DemoCommand {

    private final Path demoHome;

    DemoCommand(Path home) {
        this.demoHome = home.resolve("demo");
    }

    int run() throws IOException {
        Path conf = Files.createDirectories(demoHome.resolve("conf"));
        Map<String, String> files = new LinkedHashMap<>();
        files.put("org.callrec.core.mode.config", "mode=\"shoretel-tapi\"\n");
        files.put("org.callrec.tapi.config", "provider=\"scripted\"\nscriptedLoop=B\"true\"\n");
        files.put("org.callrec.capture.mirror.config", "captureInterface=\"lo\"\n");
        files.put("org.callrec.tapi.demo.config", "farAddress=\"127.0.2.1\"\naudio=\"speech\"\n");
        files.put("org.callrec.core.user-alice.config",
                "name=\"Alice (demo)\"\naccount=\"alice\"\nlicensed=B\"true\"\nextension=\"1001\"\nendpointIp=\"127.0.1.1\"\n");
        files.put("org.callrec.core.user-bob.config",
                "name=\"Bob (demo)\"\naccount=\"bob\"\nlicensed=B\"true\"\nextension=\"1002\"\nendpointIp=\"127.0.1.2\"\n");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = conf.resolve(f.getKey());
            if (!Files.exists(p)) {
                Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
            }
        }
        System.out.println("callrec demo: home " + demoHome + " (scripted PBX, users Alice 1001 and Bob 1002, capture on lo)");
        if (!"root".equals(System.getProperty("user.name"))) {
            System.out.println("callrec demo: recording from the loopback interface needs root (or CAP_NET_RAW for java);"
                    + " without it calls show on Real-Time Activity but nothing is recorded, and the console says why.");
        }
        System.setProperty("callrec.home", demoHome.toString());
        return new Launcher(demoHome).run();
    }
}
