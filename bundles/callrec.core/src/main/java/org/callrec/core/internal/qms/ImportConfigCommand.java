package org.callrec.core.internal.qms;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.callrec.api.mode.IntegrationMode;
import org.callrec.api.mode.ModeController;

/**
 * {@code bin/callrec import-config <file>}: validates a {@code CallRecordingService.exe.config}
 * and writes the values as {@code conf/<pid>.config} files, which the runtime's fileinstall applies
 * to ConfigAdmin (at start, or within a second when it is running). Exit codes: 0 applied, 1
 * invalid values (nothing written), 2 unusable input.
 */
public final class ImportConfigCommand {

    private static final Pattern KEY_LINE = Pattern.compile("^\\s*([^=\\s#]+)\\s*=");
    private static final Pattern MODE_LINE = Pattern.compile("^\\s*mode\\s*=\\s*\"?([a-z-]+)\"?\\s*$");

    private ImportConfigCommand() {
    }

    /**
     * Entry point.
     *
     * @param args {@code <file> [--conf DIR] [--mode MODE]}
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path file = null;
        Path conf = Paths.get("conf");
        String modeId = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--conf" -> conf = Paths.get(next(args, ++i));
                case "--mode" -> modeId = next(args, ++i);
                default -> file = Paths.get(args[i]);
            }
        }
        if (file == null) {
            err.println("usage: callrec import-config <CallRecordingService.exe.config> [--conf DIR] [--mode "
                    + "shoretel-tapi|shoretel-tapi-wave]");
            return 2;
        }
        IntegrationMode mode;
        QmsConfigFile parsed;
        try {
            mode = IntegrationMode.fromId(modeId != null ? modeId : configuredMode(conf));
            parsed = QmsConfigFile.read(file);
        } catch (IllegalArgumentException | QmsImportException | IOException e) {
            err.println("import-config: " + e.getMessage());
            return 2;
        }
        QmsImport result = QmsImport.of(parsed, mode);
        out.print(result.report());
        if (!result.ok()) {
            return 1;
        }
        try {
            Files.createDirectories(conf);
            for (Map.Entry<String, Map<String, Object>> e : result.properties().entrySet()) {
                Path target = conf.resolve(e.getKey() + ".config");
                write(target, e.getValue());
                out.println("wrote " + target);
            }
        } catch (IOException e) {
            err.println("import-config: cannot write to " + conf + ": " + e.getMessage());
            return 2;
        }
        return 0;
    }

    private static String next(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option " + args[i - 1] + " needs a value");
        }
        return args[i];
    }

    /** The mode in {@code conf/org.callrec.core.mode.config}, else the default. */
    private static String configuredMode(Path conf) throws IOException {
        Path f = conf.resolve(ModeController.PID + ".config");
        if (Files.isRegularFile(f)) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                Matcher m = MODE_LINE.matcher(line);
                if (m.matches()) {
                    return m.group(1);
                }
            }
        }
        return IntegrationMode.SHORETEL_TAPI.id();
    }

    /** Merges values into a Felix {@code .config} file, keeping lines for other keys. */
    static void write(Path target, Map<String, Object> values) throws IOException {
        Map<String, Object> pending = new LinkedHashMap<>(values);
        List<String> lines = new ArrayList<>();
        if (Files.isRegularFile(target)) {
            for (String line : Files.readAllLines(target, StandardCharsets.UTF_8)) {
                Matcher m = KEY_LINE.matcher(line);
                if (m.find() && pending.containsKey(m.group(1))) {
                    String key = m.group(1);
                    lines.add(key + "=" + typed(pending.remove(key)));
                } else {
                    lines.add(line);
                }
            }
        }
        pending.forEach((k, v) -> lines.add(k + "=" + typed(v)));
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Felix ConfigurationHandler syntax: a type letter and a quoted value. */
    static String typed(Object v) {
        if (v instanceof Boolean) {
            return "B\"" + v + "\"";
        }
        if (v instanceof Integer) {
            return "I\"" + v + "\"";
        }
        return "\"" + String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
