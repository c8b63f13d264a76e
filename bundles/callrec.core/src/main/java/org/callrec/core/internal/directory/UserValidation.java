package org.callrec.core.internal.directory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Checks a user's fields; every message names the field, the value and what is allowed. */
final class UserValidation {

    private static final Pattern EXTENSION = Pattern.compile("[0-9]{1,15}");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
            + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

    private UserValidation() {
    }

    static List<String> problems(String extension, String[] additional, String endpointIp) {
        List<String> p = new ArrayList<>();
        if (extension == null || !EXTENSION.matcher(extension.trim()).matches()) {
            p.add(String.format(Locale.ROOT, "extension: '%s' is not valid; allowed: 1-15 digits", extension));
        }
        for (String a : additional == null ? new String[0] : additional) {
            if (!EXTENSION.matcher(a.trim()).matches()) {
                p.add(String.format(Locale.ROOT, "additionalExtensions: '%s' is not valid; allowed: 1-15 digits", a));
            } else if (a.trim().equals(extension == null ? null : extension.trim())) {
                p.add("additionalExtensions: '" + a + "' repeats the main extension");
            }
        }
        if (endpointIp != null && !endpointIp.isBlank() && normaliseIp(endpointIp) == null) {
            p.add(String.format(Locale.ROOT, "endpointIp: '%s' is not valid; allowed: an IPv4 or IPv6 address", endpointIp));
        }
        return p;
    }

    /**
     * The canonical text of an IP literal, or null if it is not one. Never resolves names.
     *
     * @param ip text
     * @return e.g. {@code 10.0.0.51} or {@code 2001:db8:0:0:0:0:0:1}
     */
    static String normaliseIp(String ip) {
        String s = ip.trim();
        if (IPV4.matcher(s).matches()) {
            return s;
        }
        if (s.contains(":") && IPV6_CHARS.matcher(s).matches()) {
            try {
                // a literal with ':' is parsed, not looked up
                return InetAddress.getByName(s).getHostAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }
}
