package org.callrec.capture.wave.internal.sip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP digest authentication as SIP uses it (RFC 3261 section 22, RFC 2617; MD5 and MD5-sess, with
 * or without qop=auth): answers a 401 WWW-Authenticate or 407 Proxy-Authenticate challenge.
 */
public final class DigestAuth {

    private DigestAuth() {
    }

    /**
     * A parsed challenge.
     *
     * @param realm realm
     * @param nonce nonce
     * @param opaque opaque, or null
     * @param algorithm MD5 or MD5-sess
     * @param qopAuth whether the server offers qop=auth
     */
    public record Challenge(String realm, String nonce, String opaque, String algorithm, boolean qopAuth) {
    }

    /**
     * Parses a {@code Digest realm="...", nonce="...", ...} challenge.
     *
     * @param header the header value
     * @return the challenge
     * @throws IllegalArgumentException naming what is wrong: not Digest, no realm/nonce, unsupported algorithm
     */
    public static Challenge parse(String header) {
        String h = header.trim();
        if (!h.regionMatches(true, 0, "Digest ", 0, 7)) {
            throw new IllegalArgumentException("not a Digest challenge: " + header);
        }
        Map<String, String> p = params(h.substring(7));
        String realm = p.get("realm");
        String nonce = p.get("nonce");
        if (realm == null || nonce == null) {
            throw new IllegalArgumentException("Digest challenge without realm or nonce: " + header);
        }
        String algorithm = p.getOrDefault("algorithm", "MD5");
        if (!algorithm.equalsIgnoreCase("MD5") && !algorithm.equalsIgnoreCase("MD5-sess")) {
            throw new IllegalArgumentException("Digest algorithm " + algorithm + " is not supported (MD5, MD5-sess)");
        }
        boolean auth = false;
        String qop = p.get("qop");
        if (qop != null) {
            for (String q : qop.split(",")) {
                auth |= q.trim().equalsIgnoreCase("auth");
            }
            if (!auth) {
                throw new IllegalArgumentException("Digest qop " + qop + " is not supported (auth)");
            }
        }
        return new Challenge(realm, nonce, p.get("opaque"), algorithm, auth);
    }

    /**
     * The response digest (RFC 2617 section 3.2.2.1).
     *
     * @param c the challenge
     * @param method request method, e.g. INVITE
     * @param uri the request URI
     * @param user user name
     * @param password password
     * @param cnonce client nonce (used with qop or MD5-sess)
     * @param nc nonce count, 8 hex digits
     * @return 32 lower-case hex digits
     */
    public static String response(Challenge c, String method, String uri, String user, String password, String cnonce,
            String nc) {
        String ha1 = md5(user + ":" + c.realm() + ":" + password);
        if (c.algorithm().equalsIgnoreCase("MD5-sess")) {
            ha1 = md5(ha1 + ":" + c.nonce() + ":" + cnonce);
        }
        String ha2 = md5(method + ":" + uri);
        return c.qopAuth() ? md5(ha1 + ":" + c.nonce() + ":" + nc + ":" + cnonce + ":auth:" + ha2)
                : md5(ha1 + ":" + c.nonce() + ":" + ha2);
    }

    /**
     * The Authorization / Proxy-Authorization header value answering the challenge.
     *
     * @param c the challenge
     * @param method request method
     * @param uri request URI
     * @param user user name
     * @param password password
     * @param cnonce client nonce
     * @param nc nonce count, 8 hex digits
     * @return the header value
     */
    public static String authorization(Challenge c, String method, String uri, String user, String password,
            String cnonce, String nc) {
        StringBuilder b = new StringBuilder("Digest username=\"").append(user).append("\", realm=\"").append(c.realm())
                .append("\", nonce=\"").append(c.nonce()).append("\", uri=\"").append(uri).append("\", response=\"")
                .append(response(c, method, uri, user, password, cnonce, nc)).append("\", algorithm=")
                .append(c.algorithm());
        if (c.qopAuth()) {
            b.append(", qop=auth, nc=").append(nc).append(", cnonce=\"").append(cnonce).append('"');
        }
        if (c.opaque() != null) {
            b.append(", opaque=\"").append(c.opaque()).append('"');
        }
        return b.toString();
    }

    private static Map<String, String> params(String s) {
        Map<String, String> out = new HashMap<>();
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && (s.charAt(i) == ',' || Character.isWhitespace(s.charAt(i)))) {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = s.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            String value;
            if (i < s.length() && s.charAt(i) == '"') {
                int end = s.indexOf('"', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated quoted value for " + key + " in: " + s);
                }
                value = s.substring(i + 1, end);
                i = end + 1;
            } else {
                int end = s.indexOf(',', i);
                end = end < 0 ? s.length() : end;
                value = s.substring(i, end).trim();
                i = end;
            }
            out.put(key, value);
        }
        return out;
    }

    private static String md5(String s) {
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder(32);
            for (byte x : d) {
                b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every Java runtime", e);
        }
    }
}
