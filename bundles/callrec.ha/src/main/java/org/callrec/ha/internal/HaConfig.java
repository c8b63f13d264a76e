package org.callrec.ha.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The console's form for PID org.callrec.ha. The three TapiWave keys keep the original product's
 * case-sensitive names; both nodes of a pair are normally given the same values for them.
 */
@ObjectClassDefinition(name = "callrec: high availability",
        description = "Primary/secondary pair for TAPI/Wave: only one node places the Route Point call. "
                + "The primary binds UDP TapiWaveHeartbeatSendPort and sends to peerAddress:TapiWaveHeartbeatReceivePort; "
                + "the secondary binds UDP TapiWaveHeartbeatReceivePort.")
@interface HaConfig {

    @AttributeDefinition(name = "Role", options = {
        @Option(label = "Standalone (no peer)", value = "STANDALONE"),
        @Option(label = "Primary", value = "PRIMARY"),
        @Option(label = "Secondary", value = "SECONDARY")})
    String role() default "STANDALONE";

    @AttributeDefinition(name = "Node id", description = "This node's name in heartbeats and in the catalog (1-64 bytes).")
    String nodeId() default "node-1";

    @AttributeDefinition(name = "Peer address", required = false,
            description = "Primary only, required there: host name or IP address of the secondary that heartbeats go to.")
    String peerAddress() default "";

    @AttributeDefinition(name = "Bind address", required = false,
            description = "Local address the heartbeat socket binds to; empty: all addresses.")
    String bindAddress() default "";

    @AttributeDefinition(name = "TapiWaveHeartbeatSendPort",
            description = "Primary: local UDP port heartbeats are sent from (1-65535). Not bound on the secondary.",
            min = "1", max = "65535")
    int TapiWaveHeartbeatSendPort() default 8040;

    @AttributeDefinition(name = "TapiWaveHeartbeatReceivePort",
            description = "Secondary: UDP port it listens on; primary: the port it sends to (1-65535).",
            min = "1", max = "65535")
    int TapiWaveHeartbeatReceivePort() default 8041;

    @AttributeDefinition(name = "TapiWaveHeartbeatTimer",
            description = "Heartbeat interval, ms; the secondary takes over after one interval "
                    + "(plus 100 ms for jitter, or one more interval if shorter) without a valid heartbeat.",
            min = "1")
    int TapiWaveHeartbeatTimer() default 5000;

    @AttributeDefinition(name = "Heartbeat secret", type = AttributeType.PASSWORD, required = false,
            description = "Shared HMAC-SHA256 key, the same on both nodes (16 bytes or more). Empty: heartbeats "
                    + "can be forged by anyone on the network (a loud warning is logged).")
    String heartbeatSecret() default "";

    @AttributeDefinition(name = "Heartbeat clock skew", required = false,
            description = "Largest accepted difference between a heartbeat's timestamp and this node's clock, ms.",
            min = "1")
    int heartbeatClockSkew() default 30000;
}
