package org.callrec.capture.wave.internal.sip;

import java.util.Objects;

/**
 * The TLS settings of the SIP transport as configured, checked when they are read (files exist and
 * parse, the password opens the store), so a mistake is a configuration error at activation rather
 * than a failed call. Equal settings mean the same trust: the user agent is kept.
 */
public final class SipTlsSettings {

    private final String trustStore;
    private final String trustStorePassword;
    private final String trustedCertificate;
    private final boolean verifyHostname;
    private final SipTls trust;

    private SipTlsSettings(String trustStore, String trustStorePassword, String trustedCertificate,
            boolean verifyHostname) {
        this.trustStore = trustStore == null ? "" : trustStore.trim();
        this.trustStorePassword = trustStorePassword == null ? "" : trustStorePassword;
        this.trustedCertificate = trustedCertificate == null ? "" : trustedCertificate.trim();
        this.verifyHostname = verifyHostname;
        this.trust = SipTls.create(this.trustStore, this.trustStorePassword, this.trustedCertificate, verifyHostname);
    }

    /**
     * @param trustStore sipTlsTrustStore (empty: the JVM's default trust store)
     * @param trustStorePassword sipTlsTrustStorePassword
     * @param trustedCertificate sipTlsTrustedCertificate (empty: none)
     * @param verifyHostname sipTlsVerifyHostname
     * @return the checked settings
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    public static SipTlsSettings of(String trustStore, String trustStorePassword, String trustedCertificate,
            boolean verifyHostname) {
        return new SipTlsSettings(trustStore, trustStorePassword, trustedCertificate, verifyHostname);
    }

    /** @return the trust for the user agent */
    public SipTls trust() {
        return trust;
    }

    /** @return where the trust comes from and whether the name is checked, for logs and the health check */
    public String describe() {
        return trust.source() + (verifyHostname ? ", and it must name the PBX address"
                : "; its name is not checked (sipTlsVerifyHostname=false)");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SipTlsSettings t && t.trustStore.equals(trustStore)
                && t.trustStorePassword.equals(trustStorePassword) && t.trustedCertificate.equals(trustedCertificate)
                && t.verifyHostname == verifyHostname;
    }

    @Override
    public int hashCode() {
        return Objects.hash(trustStore, trustedCertificate, verifyHostname);
    }
}
