package org.callrec.ha.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.callrec.api.ha.HaRole;

/**
 * Validated HA configuration.
 *
 * @param role this node's role
 * @param nodeId this node's id (heartbeats, catalog)
 * @param peerAddress the secondary's host (on the primary: where heartbeats go); may be empty on the secondary
 * @param bindAddress local address the heartbeat socket binds to; empty means all addresses
 * @param sendPort {@code TapiWaveHeartbeatSendPort}: the primary's local (source) port
 * @param receivePort {@code TapiWaveHeartbeatReceivePort}: the port the secondary listens on
 * @param intervalMs {@code TapiWaveHeartbeatTimer}: send interval and receive timeout
 * @param secret shared HMAC key bytes; empty means none (allowed, with a loud warning)
 * @param clockSkewMs how far a heartbeat's timestamp may be from this node's clock
 */
record HaSettings(HaRole role, String nodeId, String peerAddress, String bindAddress, int sendPort, int receivePort,
        int intervalMs, byte[] secret, int clockSkewMs) {

    static final String ROLE = "role";
    static final String NODE_ID = "nodeId";
    static final String PEER_ADDRESS = "peerAddress";
    static final String BIND_ADDRESS = "bindAddress";
    static final String SECRET = "heartbeatSecret";
    static final String CLOCK_SKEW = "heartbeatClockSkew";
    static final int MAX_NODE_ID_BYTES = 64;
    static final int DEFAULT_CLOCK_SKEW_MS = 30_000;
    /** Below this a secret is guessable; accepted with a warning. */
    static final int SHORT_SECRET_BYTES = 16;

    /** Jitter allowance added to the receive timeout (see {@link #takeoverTimeoutMs()}). */
    static final int MAX_JITTER_ALLOWANCE_MS = 100;

    /**
     * The secondary takes over when no valid heartbeat arrived for one interval plus a jitter
     * allowance of 100 ms (one interval if that is shorter). Without it a heartbeat sent exactly
     * every interval would arrive a few ms "late" about half the time and the secondary would flap.
     *
     * @return the receive timeout in ms
     */
    long takeoverTimeoutMs() {
        return (long) intervalMs + Math.min(intervalMs, MAX_JITTER_ALLOWANCE_MS);
    }

    boolean hasSecret() {
        return secret.length > 0;
    }

    /**
     * Reads and checks the raw configuration properties (raw so that a text value such as "80a0"
     * from a conf/ file is reported as written, not silently coerced).
     *
     * @param props configuration properties
     * @return the settings
     * @throws InvalidHaSettingException listing every invalid value, one per line
     */
    static HaSettings from(Map<String, ?> props) throws InvalidHaSettingException {
        List<String> errors = new ArrayList<>();
        HaRole role = HaRole.STANDALONE;
        Object rawRole = props.get(ROLE);
        if (rawRole != null) {
            try {
                role = HaRole.valueOf(String.valueOf(rawRole).trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(HeartbeatSetting.invalid(ROLE, rawRole, "STANDALONE, PRIMARY or SECONDARY").getMessage());
            }
        }
        String nodeId = text(props, NODE_ID, "node-1");
        int idBytes = nodeId.getBytes(StandardCharsets.UTF_8).length;
        if (idBytes == 0 || idBytes > MAX_NODE_ID_BYTES || !nodeId.equals(nodeId.strip())) {
            errors.add(HeartbeatSetting.invalid(NODE_ID, props.get(NODE_ID),
                    "1-" + MAX_NODE_ID_BYTES + " bytes (UTF-8) without leading or trailing spaces").getMessage());
        }
        String peer = text(props, PEER_ADDRESS, "").trim();
        if (role == HaRole.PRIMARY && peer.isEmpty()) {
            errors.add(HeartbeatSetting.invalid(PEER_ADDRESS, peer,
                    "the secondary's host name or IP address; required on the primary").getMessage());
        }
        String bind = text(props, BIND_ADDRESS, "").trim();
        int send = parse(HeartbeatSetting.SEND_PORT, props, errors);
        int receive = parse(HeartbeatSetting.RECEIVE_PORT, props, errors);
        int timer = parse(HeartbeatSetting.TIMER, props, errors);
        int skew = DEFAULT_CLOCK_SKEW_MS;
        Object rawSkew = props.get(CLOCK_SKEW);
        if (rawSkew != null) {
            String v = String.valueOf(rawSkew).trim();
            if (v.matches("[+-]?[0-9]{1,10}") && Long.parseLong(v) >= 1 && Long.parseLong(v) <= Integer.MAX_VALUE) {
                skew = Integer.parseInt(v.startsWith("+") ? v.substring(1) : v);
            } else {
                errors.add(HeartbeatSetting.invalid(CLOCK_SKEW, rawSkew, "a positive integer number of milliseconds")
                        .getMessage());
            }
        }
        byte[] secret = text(props, SECRET, "").getBytes(StandardCharsets.UTF_8);
        if (!errors.isEmpty()) {
            throw new InvalidHaSettingException(String.join("\n", errors));
        }
        return new HaSettings(role, nodeId, peer, bind, send, receive, timer, secret, skew);
    }

    private static int parse(HeartbeatSetting setting, Map<String, ?> props, List<String> errors) {
        try {
            return setting.parse(props.get(setting.key()));
        } catch (InvalidHaSettingException e) {
            errors.add(e.getMessage());
            return setting.defaultValue();
        }
    }

    private static String text(Map<String, ?> props, String key, String dflt) {
        Object v = props.get(key);
        return v == null ? dflt : String.valueOf(v);
    }
}
