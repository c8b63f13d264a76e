package org.callrec.capture.wave.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Original key names (case-sensitive) so the original file's values map one to one; the rest are ours. */
@ObjectClassDefinition(name = "callrec: TAPI/Wave capture",
        description = "ShoreTel TAPI/Wave mode: the recorder calls a PBX Route Point that streams the call's audio.")
@interface WaveConfig {

    @AttributeDefinition(name = "ShoreTelTapiWaveRoutePointExtension",
            description = "Route Point extension the recorder calls to get audio; required in this mode.")
    String ShoreTelTapiWaveRoutePointExtension() default "";

    @AttributeDefinition(name = "TapiWaveBuffersPerDevice",
            description = "Audio buffers per recording: an integer greater than 1; values above 8 give no gain.",
            min = "2")
    int TapiWaveBuffersPerDevice() default 4;

    @AttributeDefinition(name = "Most Route Point sessions",
            description = "Concurrent Route Point recordings allowed; the PBX allows 200 per Remote Server. A call "
                    + "beyond that is refused with 'capacity reached'.", min = "1")
    int maxRoutePointSessions() default 200;

    @AttributeDefinition(name = "System conference extensions",
            description = "The PBX's system conference extensions, e.g. '800, 801, 7000-7099'. A CONFERENCED event "
                    + "whose connected party (else called party) is one of them means a 4th party joined: the "
                    + "Route Point audio ends with that status. Empty: 4th parties are not recognised.")
    String systemConferenceExtensions() default "";

    @AttributeDefinition(name = "Route Point re-dial attempts",
            description = "How often a Route Point that drops during a call is called again (a gap marker covers "
                    + "the time it was away); 0 ends the audio at the first drop.", min = "0")
    int routePointRedialAttempts() default 3;

    @AttributeDefinition(name = "Route Point re-dial delay (ms)",
            description = "Pause before each re-dial.", min = "0")
    long routePointRedialDelayMillis() default 1000;

    @AttributeDefinition(name = "Transport",
            description = "How the Route Point's audio is reached: winmm (TAPI + Wave, Windows), sip (SIP/RTP), or "
                    + "auto (winmm where winmm.dll exists, else sip).",
            options = {@Option(label = "auto", value = "auto"), @Option(label = "winmm (Windows)", value = "winmm"),
                    @Option(label = "sip", value = "sip")})
    String transport() default "auto";

    @AttributeDefinition(name = "SIP: PBX address",
            description = "Host or IP of the PBX the SIP transport calls the Route Point at (transport sip).")
    String sipPbxAddress() default "";

    @AttributeDefinition(name = "SIP: PBX port", min = "1", max = "65535")
    int sipPbxPort() default 5060;

    @AttributeDefinition(name = "SIP: transport", description = "udp, tcp (one connection to the PBX for every "
            + "call, Content-Length framing, reconnected when it breaks) or tls (the same over TLS, sips: URIs; the "
            + "PBX's certificate is verified, see the sipTls settings). sipPbxPort is then usually 5060 or 5061.",
            options = {@Option(label = "udp", value = "udp"), @Option(label = "tcp", value = "tcp"),
                    @Option(label = "tls", value = "tls")})
    String sipTransport() default "udp";

    @AttributeDefinition(name = "SIP TLS: trust store", description = "PKCS12 or JKS file whose certificates the "
            + "PBX's certificate must chain to; empty: the JVM's default trust store (cacerts).", required = false)
    String sipTlsTrustStore() default "";

    @AttributeDefinition(name = "SIP TLS: trust store password", type = AttributeType.PASSWORD, required = false)
    String sipTlsTrustStorePassword() default "";

    @AttributeDefinition(name = "SIP TLS: trusted certificate", description = "A certificate file (PEM or DER), "
            + "e.g. the PBX's own self-signed one, to trust instead of a trust store. Set this or the trust store, "
            + "not both.", required = false)
    String sipTlsTrustedCertificate() default "";

    @AttributeDefinition(name = "SIP TLS: verify host name", description = "The PBX's certificate must name "
            + "sipPbxAddress (DNS or IP subject alternative name). Turn off only for a PBX whose certificate "
            + "names something else and whose certificate is pinned with the trusted certificate setting.")
    boolean sipTlsVerifyHostname() default true;

    @AttributeDefinition(name = "SIP: user", description = "Digest user name (also the From user); empty when the "
            + "PBX does not challenge.")
    String sipUser() default "";

    @AttributeDefinition(name = "SIP: password", type = AttributeType.PASSWORD)
    String sipPassword() default "";

    @AttributeDefinition(name = "SIP: local address", description = "Local address to bind and advertise (Via, "
            + "Contact, SDP); empty: all addresses, advertising the one the route to the PBX uses.")
    String sipLocalAddress() default "";

    @AttributeDefinition(name = "SIP: local port", description = "Local SIP port; 0: any free port.", min = "0",
            max = "65535")
    int sipLocalPort() default 0;

    @AttributeDefinition(name = "RTP: first local port", description = "Even; each Route Point call takes an even "
            + "port and leaves the odd one above for RTCP.", min = "1024", max = "65534")
    int rtpPortMin() default 20000;

    @AttributeDefinition(name = "RTP: last local port", description = "Leave at least 2 ports per concurrent call "
            + "(maxRoutePointSessions).", min = "1025", max = "65535")
    int rtpPortMax() default 20799;

    @AttributeDefinition(name = "SIP: answer timeout (ms)", description = "How long the Route Point may take to "
            + "answer before the call is CANCELled.", min = "1")
    long sipAnswerTimeoutMillis() default 32000;

    @AttributeDefinition(name = "SIP: first RTP timeout (ms)", description = "How long after the answer the first "
            + "RTP packet may take (else: 'no RTP').", min = "1")
    long sipFirstRtpTimeoutMillis() default 5000;

    @AttributeDefinition(name = "SIP: RTP silence (ms)", description = "How long RTP may stop during the call before "
            + "the Route Point counts as dropped (and is called again).", min = "1")
    long sipRtpSilenceMillis() default 10000;
}
