package org.callrec.capture.wave.internal.sip;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class DigestAuthTest {

    /** RFC 2617 section 3.5, the worked example. */
    @Test
    void answersTheRfc2617Example() {
        DigestAuth.Challenge c = DigestAuth.parse("Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
                + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
        assertEquals("testrealm@host.com", c.realm());
        assertTrue(c.qopAuth());
        assertEquals("6629fae49393a05397450978507c4ef1",
                DigestAuth.response(c, "GET", "/dir/index.html", "Mufasa", "Circle Of Life", "0a4f113b", "00000001"));
        String h = DigestAuth.authorization(c, "GET", "/dir/index.html", "Mufasa", "Circle Of Life", "0a4f113b",
                "00000001");
        assertTrue(h.startsWith("Digest username=\"Mufasa\", realm=\"testrealm@host.com\""), h);
        assertTrue(h.contains("response=\"6629fae49393a05397450978507c4ef1\""), h);
        assertTrue(h.contains("qop=auth, nc=00000001, cnonce=\"0a4f113b\""), h);
        assertTrue(h.endsWith("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""), h);
    }

    /** Without qop (RFC 2069 compatibility): response = MD5(HA1:nonce:HA2); checked against an independent MD5 of the parts. */
    @Test
    void answersAChallengeWithoutQop() throws Exception {
        DigestAuth.Challenge c = DigestAuth.parse("Digest realm=\"shoretel\",nonce=\"abc123\",algorithm=MD5");
        assertFalse(c.qopAuth());
        String ha1 = md5("rec:shoretel:s3cret");
        String ha2 = md5("INVITE:sip:5999@10.0.0.1");
        assertEquals(md5(ha1 + ":abc123:" + ha2),
                DigestAuth.response(c, "INVITE", "sip:5999@10.0.0.1", "rec", "s3cret", "x", "00000001"));
    }

    @Test
    void unusableChallengesAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DigestAuth.parse("Basic realm=\"x\""))
                .getMessage().startsWith("not a Digest challenge"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DigestAuth.parse("Digest realm=\"x\""))
                .getMessage().startsWith("Digest challenge without realm or nonce"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DigestAuth.parse("Digest realm=\"x\", nonce=\"y\", algorithm=SHA-512-256")).getMessage()
                .contains("SHA-512-256 is not supported"));
    }

    private static String md5(String s) throws Exception {
        byte[] d = java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(d);
    }
}
