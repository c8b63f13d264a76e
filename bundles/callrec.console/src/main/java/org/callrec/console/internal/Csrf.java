package org.callrec.console.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.servlet.http.HttpServletRequest;

/**
 * CSRF protection for changes: every page carries a token bound to the logged-in user (an HMAC
 * with a key that lives only in memory); a POST must send it back in the {@value #HEADER} header,
 * and its Origin, when sent, must be this host. A browser cannot be made to do either from
 * another site.
 */
final class Csrf {

    static final String HEADER = "X-Callrec-Csrf";
    private static final byte[] KEY = new byte[32];

    static {
        new SecureRandom().nextBytes(KEY);
    }

    private Csrf() {
    }

    static String token(String user) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(("csrf:" + user).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return null when the request may change things, else why not */
    static String refusal(HttpServletRequest req) {
        String user = req.getRemoteUser();
        if (user == null) {
            Object u = req.getAttribute("org.osgi.service.servlet.context.remote.user");
            user = u == null ? null : u.toString();
        }
        if (user == null) {
            return "not logged in";
        }
        String sent = req.getHeader(HEADER);
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                token(user).getBytes(StandardCharsets.UTF_8))) {
            return "missing or wrong " + HEADER + " header";
        }
        String origin = req.getHeader("Origin");
        if (origin != null && !origin.equals("null")) {
            String host = req.getHeader("Host");
            if (host == null || !(origin.equals("http://" + host) || origin.equals("https://" + host))) {
                return "cross-origin request from " + origin;
            }
        }
        return null;
    }
}
