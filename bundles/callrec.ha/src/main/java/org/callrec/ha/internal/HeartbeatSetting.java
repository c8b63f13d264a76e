package org.callrec.ha.internal;

import java.util.Locale;

/**
 * The original product's three heartbeat keys with their defaults and valid ranges. The checks and
 * the message wording are the same as the configuration importer's (callrec.core's TapiSetting), so
 * an administrator sees one message whether the value came from an imported file or from the
 * console; they are duplicated here because callrec.ha may not depend on core's internals.
 */
enum HeartbeatSetting {
    SEND_PORT("TapiWaveHeartbeatSendPort", "a port number 1-65535", 1, 65535, 8040),
    RECEIVE_PORT("TapiWaveHeartbeatReceivePort", "a port number 1-65535", 1, 65535, 8041),
    TIMER("TapiWaveHeartbeatTimer", "a positive integer number of milliseconds", 1, Integer.MAX_VALUE, 5000);

    private final String key;
    private final String allowed;
    private final int min;
    private final int max;
    private final int defaultValue;

    HeartbeatSetting(String key, String allowed, int min, int max, int defaultValue) {
        this.key = key;
        this.allowed = allowed;
        this.min = min;
        this.max = max;
        this.defaultValue = defaultValue;
    }

    String key() {
        return key;
    }

    int defaultValue() {
        return defaultValue;
    }

    /**
     * Checks a configured value: an Integer or Long from the console, or text from a file.
     *
     * @param raw the value as configured; null means not set (the default applies)
     * @return the value
     * @throws InvalidHaSettingException naming the key, the value and what is allowed
     */
    int parse(Object raw) throws InvalidHaSettingException {
        if (raw == null) {
            return defaultValue;
        }
        String text = String.valueOf(raw);
        String v = text.trim();
        if (!v.matches("[+-]?[0-9]{1,10}")) {
            throw invalid(key, text, allowed);
        }
        long n = Long.parseLong(v);
        if (n < min || n > max) {
            throw invalid(key, text, allowed);
        }
        return (int) n;
    }

    /** The one wording for every invalid HA value. */
    static InvalidHaSettingException invalid(String key, Object raw, String allowed) {
        return new InvalidHaSettingException(String.format(Locale.ROOT, "%s: value '%s' is not valid; allowed: %s",
                key, raw, allowed));
    }
}
