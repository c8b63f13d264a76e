package org.callrec.ha.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "callrec: high availability",
        description = "Primary/secondary pair for TAPI/Wave: only one node places the Route Point call.")
@interface HaConfig {

    @AttributeDefinition(name = "Role", options = {
        @Option(label = "Standalone (no peer)", value = "STANDALONE"),
        @Option(label = "Primary", value = "PRIMARY"),
        @Option(label = "Secondary", value = "SECONDARY")})
    String role() default "STANDALONE";

    @AttributeDefinition(name = "Node id", description = "This node's name in heartbeats and in the catalog.")
    String nodeId() default "node-1";

    @AttributeDefinition(name = "TapiWaveHeartbeatSendPort", description = "UDP port the primary sends heartbeats from (1-65535).",
            min = "1", max = "65535")
    int TapiWaveHeartbeatSendPort() default 8040;

    @AttributeDefinition(name = "TapiWaveHeartbeatReceivePort", description = "UDP port heartbeats are received on (1-65535).",
            min = "1", max = "65535")
    int TapiWaveHeartbeatReceivePort() default 8041;

    @AttributeDefinition(name = "TapiWaveHeartbeatTimer", description = "Heartbeat interval and receive timeout, ms.",
            min = "1")
    int TapiWaveHeartbeatTimer() default 5000;
}
