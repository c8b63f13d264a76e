package org.callrec.core.internal.qms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.callrec.api.mode.IntegrationMode;

/**
 * Validates the {@code <Tapi>} pairs of an imported file into ConfigAdmin properties by PID.
 * All or nothing: one invalid value means nothing is applied, and every problem is reported at
 * once so an administrator can fix the file in one go.
 *
 * @param properties PID to the properties to set there (only when {@link #ok()})
 * @param errors every invalid or missing value, naming key, value and what is allowed
 * @param warnings accepted with a warning (e.g. more than 8 buffers, duplicates)
 * @param unknownKeys keys that are not among the six, reported but not fatal
 */
public record QmsImport(Map<String, Map<String, Object>> properties, List<String> errors, List<String> warnings,
        List<String> unknownKeys) {

    /** @return true if the import can be applied */
    public boolean ok() {
        return errors.isEmpty();
    }

    /**
     * Validates a file's pairs for a mode; absent keys get their defaults.
     *
     * @param file the parsed file
     * @param mode the integration mode the values will be used in
     * @return the validated import
     */
    public static QmsImport of(QmsConfigFile file, IntegrationMode mode) {
        Map<String, Map<String, Object>> props = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>(file.warnings());
        List<String> unknown = new ArrayList<>();
        file.values().forEach((key, raw) -> {
            Optional<TapiSetting> setting = TapiSetting.byKey(key);
            if (setting.isEmpty()) {
                String hint = TapiSetting.byKeyIgnoringCase(key)
                        .map(s -> " (key names are case-sensitive: did you mean " + s.key() + "?)").orElse("");
                unknown.add(key + hint);
                return;
            }
            TapiSetting s = setting.get();
            try {
                Object value = s.parse(raw);
                if (s == TapiSetting.BUFFERS_PER_DEVICE && (Integer) value > TapiSetting.USEFUL_BUFFERS) {
                    warnings.add(s.key() + ": " + value + " buffers accepted, but values above "
                            + TapiSetting.USEFUL_BUFFERS + " give no gain");
                }
                props.computeIfAbsent(s.pid(), p -> new LinkedHashMap<>()).put(s.key(), value);
            } catch (InvalidSettingException e) {
                errors.add(e.getMessage());
            }
        });
        for (TapiSetting s : TapiSetting.values()) {
            if (file.values().containsKey(s.key())) {
                continue;
            }
            if (s == TapiSetting.ROUTE_POINT_EXTENSION && mode == IntegrationMode.SHORETEL_TAPI_WAVE) {
                errors.add(s.key() + ": missing; it is required in " + mode.label() + " mode (allowed: "
                        + s.allowed() + ")");
                continue;
            }
            s.defaultValue().ifPresent(d -> props.computeIfAbsent(s.pid(), p -> new LinkedHashMap<>()).put(s.key(), d));
        }
        Object send = value(props, TapiSetting.HEARTBEAT_SEND_PORT);
        Object recv = value(props, TapiSetting.HEARTBEAT_RECEIVE_PORT);
        if (send != null && send.equals(recv)) {
            warnings.add(TapiSetting.HEARTBEAT_SEND_PORT.key() + " and " + TapiSetting.HEARTBEAT_RECEIVE_PORT.key()
                    + " are both " + send + "; two nodes on one host cannot then both bind their ports");
        }
        return new QmsImport(errors.isEmpty() ? props : Map.of(), List.copyOf(errors), List.copyOf(warnings),
                List.copyOf(unknown));
    }

    private static Object value(Map<String, Map<String, Object>> props, TapiSetting s) {
        Map<String, Object> m = props.get(s.pid());
        return m == null ? null : m.get(s.key());
    }

    /** @return a multi-line report for logs and the command line */
    public String report() {
        StringBuilder sb = new StringBuilder();
        errors.forEach(e -> sb.append("ERROR   ").append(e).append('\n'));
        warnings.forEach(w -> sb.append("WARNING ").append(w).append('\n'));
        unknownKeys.forEach(u -> sb.append("UNKNOWN ").append(u).append(" (ignored)\n"));
        if (ok()) {
            properties.forEach((pid, p) -> p.forEach((k, v) -> sb.append("SET     ").append(pid).append(": ")
                    .append(k).append(" = ").append(v).append('\n')));
        } else {
            sb.append("Nothing was changed.\n");
        }
        return sb.toString();
    }
}
