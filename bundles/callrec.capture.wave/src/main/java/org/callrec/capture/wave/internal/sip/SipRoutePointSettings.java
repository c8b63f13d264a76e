package org.callrec.capture.wave.internal.sip;

/**
 * How the recorder's SIP user agent reaches the Route Point.
 *
 * @param pbxAddress the PBX's SIP address (host or IP)
 * @param pbxPort its SIP port
 * @param transport udp, tcp or tls
 * @param user digest user name, or empty when the PBX does not challenge
 * @param password digest password
 * @param rtpPortMin first local RTP port (even)
 * @param rtpPortMax last local RTP port
 * @param answerTimeoutMillis how long the Route Point may take to answer (64*T1 = 32 s by default)
 * @param firstRtpTimeoutMillis how long after the answer its first RTP packet may take
 * @param rtpSilenceMillis how long RTP may stop during the call before the leg counts as dropped
 */
public record SipRoutePointSettings(String pbxAddress, int pbxPort, String transport, String user, String password,
        int rtpPortMin, int rtpPortMax, long answerTimeoutMillis, long firstRtpTimeoutMillis, long rtpSilenceMillis) {

    /** Validates the settings, naming the setting that is wrong. */
    public SipRoutePointSettings {
        if (pbxAddress == null || pbxAddress.isBlank()) {
            throw new IllegalArgumentException("sipPbxAddress is not set: the SIP transport needs the PBX address");
        }
        if (pbxPort < 1 || pbxPort > 65535) {
            throw new IllegalArgumentException("sipPbxPort=" + pbxPort + " is not allowed: 1-65535");
        }
        if (!"udp".equals(transport) && !"tcp".equals(transport) && !"tls".equals(transport)) {
            throw new IllegalArgumentException("sipTransport=" + transport + " is not allowed: udp, tcp or tls");
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        if (rtpPortMin < 1024 || rtpPortMax > 65535 || rtpPortMin % 2 != 0 || rtpPortMax <= rtpPortMin) {
            throw new IllegalArgumentException("rtpPorts=" + rtpPortMin + "-" + rtpPortMax + " is not allowed: an even "
                    + "first port >= 1024 below a last port <= 65535");
        }
        if (answerTimeoutMillis <= 0 || firstRtpTimeoutMillis <= 0 || rtpSilenceMillis <= 0) {
            throw new IllegalArgumentException("SIP Route Point timeouts must be > 0 ms");
        }
    }

    /** @return true if digest credentials are configured */
    public boolean hasCredentials() {
        return !user.isEmpty();
    }
}
