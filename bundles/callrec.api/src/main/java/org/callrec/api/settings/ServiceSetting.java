package org.callrec.api.settings;

/**
 * One service setting as administrators know it.
 *
 * @param key the case-sensitive key (also the ConfigAdmin property name)
 * @param pid the configuration PID it lives in
 * @param allowed what values are allowed, in words
 * @param defaultValue the default as text, or null when there is none
 */
public record ServiceSetting(String key, String pid, String allowed, String defaultValue) {
}
