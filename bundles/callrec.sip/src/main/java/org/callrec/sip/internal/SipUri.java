package org.callrec.sip.internal;

import java.util.Locale;

/** The few things passive SIP needs from name-addr / addr-spec values (RFC 3261 sections 19.1, 20.10). */
final class SipUri {

    private SipUri() {
    }

    /**
     * The user part of the URI in a From / To / P-Asserted-Identity / Request-URI value:
     * {@code "Alice" <sip:1001@pbx;user=phone>;tag=1} gives {@code 1001}; {@code tel:+4930123} gives
     * {@code +4930123}. Null when there is no user part.
     */
    static String user(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        int lt = v.indexOf('<');
        if (lt >= 0) {
            int gt = v.indexOf('>', lt);
            v = gt > lt ? v.substring(lt + 1, gt) : v.substring(lt + 1);
        } else {
            int semi = v.indexOf(';');
            if (semi >= 0 && !v.toLowerCase(Locale.ROOT).startsWith("tel:")) {
                v = v.substring(0, semi); // header params follow an addr-spec without brackets
            }
        }
        String lower = v.toLowerCase(Locale.ROOT);
        String rest;
        if (lower.startsWith("sip:")) {
            rest = v.substring(4);
        } else if (lower.startsWith("sips:")) {
            rest = v.substring(5);
        } else if (lower.startsWith("tel:")) {
            String n = v.substring(4);
            int semi = n.indexOf(';');
            return semi >= 0 ? n.substring(0, semi) : n;
        } else {
            return null;
        }
        int at = rest.indexOf('@');
        if (at <= 0) {
            return null;
        }
        String user = rest.substring(0, at);
        int semi = user.indexOf(';'); // user parameters (RFC 3261 19.1.1 allows ;params in user for tel-like users)
        if (semi >= 0) {
            user = user.substring(0, semi);
        }
        int colon = user.indexOf(':'); // user:password
        if (colon >= 0) {
            user = user.substring(0, colon);
        }
        return user.isEmpty() ? null : user;
    }

    /** @return the tag parameter of a From / To value, or null */
    static String tag(String value) {
        if (value == null) {
            return null;
        }
        int gt = value.lastIndexOf('>');
        String params = gt >= 0 ? value.substring(gt + 1) : value;
        for (String p : params.split(";")) {
            String t = p.trim();
            if (t.regionMatches(true, 0, "tag=", 0, 4)) {
                return t.substring(4).trim();
            }
        }
        return null;
    }
}
