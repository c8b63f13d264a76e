package org.callrec.capture.wave.internal.sip;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What the TLS transport trusts (JSSE): the PBX's certificate is verified against a trust store
 * (the JVM's default one unless one is configured), or against exactly one certificate file the
 * administrator chose to trust, and by default it must name the PBX address (RFC 5922 / RFC 6125
 * host name check). Handshake failures are turned into a sentence naming the peer and the cause.
 *
 * @param factory sockets with this trust
 * @param verifyHostname whether the certificate must name the address dialled
 * @param source where the trust comes from, for messages
 * @param chain the server chain the last handshake on a thread was offered
 */
public record SipTls(SSLSocketFactory factory, boolean verifyHostname, String source, PeerChain chain) {

    /** The chain the last handshake on this thread was offered, so a failure can name the certificate. */
    static final class PeerChain extends ThreadLocal<X509Certificate[]> {
    }

    /**
     * @param trustStore a key store file (PKCS12 or JKS); empty: the JVM's default trust store
     * @param trustStorePassword its password (may be empty)
     * @param trustedCertificate a certificate file (PEM or DER) to trust instead; empty: none
     * @param verifyHostname whether the certificate must name the PBX address
     * @return the trust
     * @throws IllegalArgumentException naming the setting that is wrong and why
     */
    static SipTls create(String trustStore, String trustStorePassword, String trustedCertificate,
            boolean verifyHostname) {
        String store = trustStore == null ? "" : trustStore.trim();
        String cert = trustedCertificate == null ? "" : trustedCertificate.trim();
        if (!store.isEmpty() && !cert.isEmpty()) {
            throw new IllegalArgumentException("sipTlsTrustStore and sipTlsTrustedCertificate are both set: set one "
                    + "(a trust store, or the one certificate to trust)");
        }
        KeyStore ks = null;
        String source;
        try {
            if (!cert.isEmpty()) {
                ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                int i = 0;
                for (Certificate c : readCertificates(cert)) {
                    ks.setCertificateEntry("trusted-" + i++, c);
                }
                source = "the certificate in sipTlsTrustedCertificate=" + cert;
            } else if (!store.isEmpty()) {
                Path p = Path.of(store);
                if (!Files.isReadable(p)) {
                    throw new IllegalArgumentException("sipTlsTrustStore=" + store + ": no such readable file");
                }
                char[] pw = trustStorePassword == null || trustStorePassword.isEmpty() ? null
                        : trustStorePassword.toCharArray();
                try {
                    ks = KeyStore.getInstance(p.toFile(), pw);
                } catch (IOException | GeneralSecurityException e) {
                    throw new IllegalArgumentException("sipTlsTrustStore=" + store + " cannot be read (" + e.getMessage()
                            + "): a PKCS12 or JKS file is expected; check sipTlsTrustStorePassword", e);
                }
                if (ks.size() == 0) {
                    throw new IllegalArgumentException("sipTlsTrustStore=" + store + " holds no certificate");
                }
                source = "the trust store sipTlsTrustStore=" + store;
            } else {
                source = "the JVM's default trust store (sipTlsTrustStore is not set)";
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            X509ExtendedTrustManager delegate = null;
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    delegate = x;
                }
            }
            if (delegate == null) {
                throw new IllegalStateException("no X.509 trust manager in this JVM");
            }
            PeerChain chain = new PeerChain();
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new Recording(delegate, chain)}, null);
            return new SipTls(ctx.getSocketFactory(), verifyHostname, source, chain);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("the TLS trust cannot be set up: " + e, e);
        }
    }

    private static Collection<? extends Certificate> readCertificates(String file) {
        Path p = Path.of(file);
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException("sipTlsTrustedCertificate=" + file + ": no such readable file");
        }
        try (InputStream in = Files.newInputStream(p)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("sipTlsTrustedCertificate=" + file + " holds no certificate");
            }
            return certs;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("sipTlsTrustedCertificate=" + file + " is not an X.509 certificate "
                    + "(PEM or DER): " + e.getMessage(), e);
        }
    }

    /**
     * @param peer e.g. {@code 10.0.0.1:5061}
     * @param e the handshake's failure
     * @return what went wrong, in an administrator's words
     */
    String explain(String peer, SSLException e) {
        X509Certificate[] offered = chain.get();
        String which = offered == null || offered.length == 0 ? "its certificate"
                : "its certificate (subject '" + offered[0].getSubjectX500Principal().getName() + "', issuer '"
                        + offered[0].getIssuerX500Principal().getName() + "')";
        Throwable root = e;
        String cause = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            root = t;
            if (cause != null) {
                continue;
            }
            if (t instanceof CertificateExpiredException) {
                cause = which + " has expired";
            } else if (t instanceof CertificateNotYetValidException) {
                cause = which + " is not valid yet";
            } else if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                cause = which + " is not trusted by " + source;
            } else if (t.getMessage() != null && (t.getMessage().startsWith("No subject alternative")
                    || t.getMessage().startsWith("No name matching"))) {
                cause = which + " does not name the PBX address dialled (" + t.getMessage()
                        + "); use that name in sipPbxAddress or set sipTlsVerifyHostname=false";
            }
        }
        if (cause == null) {
            cause = root.getMessage() == null ? root.toString() : root.getMessage();
        }
        return "TLS handshake with the PBX at " + peer + " failed: " + cause;
    }

    /** Delegates every check and keeps the server chain it was offered. */
    private static final class Recording extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final PeerChain chain;

        Recording(X509ExtendedTrustManager delegate, PeerChain chain) {
            this.delegate = delegate;
            this.chain = chain;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String authType, Socket socket)
                throws java.security.cert.CertificateException {
            chain.set(c);
            delegate.checkServerTrusted(c, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String authType, SSLEngine engine)
                throws java.security.cert.CertificateException {
            chain.set(c);
            delegate.checkServerTrusted(c, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String authType)
                throws java.security.cert.CertificateException {
            chain.set(c);
            delegate.checkServerTrusted(c, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String authType, Socket socket)
                throws java.security.cert.CertificateException {
            delegate.checkClientTrusted(c, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String authType, SSLEngine engine)
                throws java.security.cert.CertificateException {
            delegate.checkClientTrusted(c, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String authType)
                throws java.security.cert.CertificateException {
            delegate.checkClientTrusted(c, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
