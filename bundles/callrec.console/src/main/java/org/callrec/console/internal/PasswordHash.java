package org.callrec.console.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted PBKDF2-HMAC-SHA256 password hash in the form
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (base64). Only this is ever stored.
 *
 * @param iterations PBKDF2 iteration count
 * @param salt random salt
 * @param hash derived key
 */
record PasswordHash(int iterations, byte[] salt, byte[] hash) {

    static final String PREFIX = "pbkdf2-sha256";
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    static final int ITERATIONS = 600_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** No 0/O, 1/l/I: the password is read off a terminal and typed. */
    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    static PasswordHash of(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return new PasswordHash(ITERATIONS, salt, derive(password, salt, ITERATIONS));
    }

    /**
     * Parses the stored form.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static PasswordHash parse(String stored) {
        String[] p = stored.trim().split("\\$");
        if (p.length != 4 || !PREFIX.equals(p[0])) {
            throw new IllegalArgumentException("password hash must look like " + PREFIX + "$<iterations>$<salt>$<hash>");
        }
        try {
            int it = Integer.parseInt(p[1]);
            if (it < 10_000) {
                throw new IllegalArgumentException("password hash iterations must be at least 10000, not " + it);
            }
            return new PasswordHash(it, Base64.getDecoder().decode(p[2]), Base64.getDecoder().decode(p[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("password hash iterations are not a number: " + p[1], e);
        }
    }

    static String randomPassword(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    boolean matches(String password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations));
    }

    String format() {
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison of two strings' UTF-8 bytes. */
    static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
