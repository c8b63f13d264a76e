package org.callrec.core.internal.qms;

import java.util.Locale;
import java.util.Optional;

/**
 * The six keys of the original product's {@code <Tapi />} section (MISSION.md), with the
 * configuration PID each lands in, its default and its valid range. Key names are case-sensitive
 * and are also the ConfigAdmin property names, so an administrator finds them unchanged.
 */
public enum TapiSetting {
    ENABLE_DNIS("EnableDnis", "org.callrec.tapi", "true or false", Boolean.FALSE),
    ROUTE_POINT_EXTENSION("ShoreTelTapiWaveRoutePointExtension", "org.callrec.capture.wave",
            "a PBX extension (1-15 digits); required in ShoreTel TAPI/Wave mode", null),
    BUFFERS_PER_DEVICE("TapiWaveBuffersPerDevice", "org.callrec.capture.wave",
            "an integer greater than 1 (values above 8 give no gain)", 4),
    HEARTBEAT_SEND_PORT("TapiWaveHeartbeatSendPort", "org.callrec.ha", "a port number 1-65535", 8040),
    HEARTBEAT_RECEIVE_PORT("TapiWaveHeartbeatReceivePort", "org.callrec.ha", "a port number 1-65535", 8041),
    HEARTBEAT_TIMER("TapiWaveHeartbeatTimer", "org.callrec.ha",
            "a positive integer number of milliseconds", 5000);

    /** Buffers beyond this give no gain: accepted with a warning. */
    static final int USEFUL_BUFFERS = 8;

    private final String key;
    private final String pid;
    private final String allowed;
    private final Object defaultValue;

    TapiSetting(String key, String pid, String allowed, Object defaultValue) {
        this.key = key;
        this.pid = pid;
        this.allowed = allowed;
        this.defaultValue = defaultValue;
    }

    /** @return the case-sensitive key name, also the ConfigAdmin property name */
    public String key() {
        return key;
    }

    /** @return the configuration PID the value belongs to */
    public String pid() {
        return pid;
    }

    /** @return what values are allowed, in words */
    public String allowed() {
        return allowed;
    }

    /** @return the default, or empty when there is none */
    public Optional<Object> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /**
     * Looks a key up exactly (case-sensitive).
     *
     * @param key a key from the file
     * @return the setting, if the key is known
     */
    public static Optional<TapiSetting> byKey(String key) {
        for (TapiSetting s : values()) {
            if (s.key.equals(key)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * Finds the key a mistyped one differs from only in case.
     *
     * @param key a key from the file
     * @return the real key, if it matches ignoring case
     */
    public static Optional<TapiSetting> byKeyIgnoringCase(String key) {
        for (TapiSetting s : values()) {
            if (s.key.equalsIgnoreCase(key)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * Parses and checks a value.
     *
     * @param raw the text from the file or form
     * @return the typed value (Boolean, Integer or String)
     * @throws InvalidSettingException naming key, value and what is allowed
     */
    public Object parse(String raw) throws InvalidSettingException {
        String v = raw == null ? "" : raw.trim();
        switch (this) {
            case ENABLE_DNIS:
                // .NET's bool.Parse accepts any case of true/false
                if (v.equalsIgnoreCase("true")) {
                    return Boolean.TRUE;
                }
                if (v.equalsIgnoreCase("false")) {
                    return Boolean.FALSE;
                }
                throw invalid(raw);
            case ROUTE_POINT_EXTENSION:
                if (v.matches("[0-9]{1,15}")) {
                    return v;
                }
                throw invalid(raw);
            case BUFFERS_PER_DEVICE:
                return intIn(raw, v, 2, Integer.MAX_VALUE);
            case HEARTBEAT_SEND_PORT:
            case HEARTBEAT_RECEIVE_PORT:
                return intIn(raw, v, 1, 65535);
            case HEARTBEAT_TIMER:
                return intIn(raw, v, 1, Integer.MAX_VALUE);
            default:
                throw new AssertionError(this);
        }
    }

    private int intIn(String raw, String v, int min, int max) throws InvalidSettingException {
        if (!v.matches("[+-]?[0-9]{1,10}")) {
            throw invalid(raw);
        }
        long n = Long.parseLong(v);
        if (n < min || n > max) {
            throw invalid(raw);
        }
        return (int) n;
    }

    private InvalidSettingException invalid(String raw) {
        return new InvalidSettingException(String.format(Locale.ROOT, "%s: value '%s' is not valid; allowed: %s",
                key, raw, allowed));
    }
}
