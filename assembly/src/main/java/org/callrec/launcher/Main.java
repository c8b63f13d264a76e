package org.callrec.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

/** {@code callrec run | import-config <file> [--conf DIR] [--mode MODE] | import <capture> [--scenario FILE] --out DIR | help}. */
public final class Main {

    private Main() {
    }

    /**
     * Entry point.
     *
     * @param args the command and its arguments
     */
    public static void main(String[] args) {
        String command = args.length == 0 ? "run" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        Path home = Paths.get(System.getProperty("callrec.home", ".")).toAbsolutePath().normalize();
        try {
            switch (command) {
                case "run" -> System.exit(new Launcher(home).run());
                case "demo" -> System.exit(new DemoCommand(home).run());
                case "import-config" -> System.exit(new ConfigImportCommand(home).run(rest));
                case "import" -> System.exit(new CaptureImportCommand(home).run(rest));
                case "help", "--help", "-h" -> {
                    usage();
                    System.exit(0);
                }
                default -> {
                    System.err.println("callrec: unknown command '" + command + "'");
                    usage();
                    System.exit(2);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("callrec " + command + ": " + e.getMessage());
            System.exit(1);
        }
    }

    private static void usage() {
        System.err.println("usage: callrec run                       start the recorder (console on http://127.0.0.1:8080/system/console)");
        System.err.println("       callrec demo                      the same on <home>/demo with a scripted PBX, demo users and RTP on lo");
        System.err.println("       callrec import-config <file> [--conf DIR] [--mode shoretel-tapi|shoretel-tapi-wave]");
        System.err.println("                                         apply a CallRecordingService.exe.config to conf/");
        System.err.println("       callrec import <file.pcap|file.pcapng> [--scenario SCENARIO.json] --out DIR");
        System.err.println("                                         record every call of a capture file (users from conf/);");
        System.err.println("                                         calls from its SIP, or from a scripted PBX scenario on its clock");
    }
}
