package org.callrec.ha.internal;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.callrec.api.ha.HaRole;

/**
 * The secondary's checks after the MAC: sender is a primary other than this node, timestamp within
 * the clock-skew window, and (epoch, sequence) strictly newer than the last accepted heartbeat, so
 * a captured heartbeat replayed later cannot keep a secondary passive after the primary died.
 * Counts every rejection by reason. Used by the one receiving thread; counters are readable from any.
 */
final class HeartbeatVerifier {

    private final String ownNodeId;
    private final long clockSkewMs;
    private final Map<HeartbeatRejection, AtomicLong> rejected = new EnumMap<>(HeartbeatRejection.class);
    private long lastEpoch = Long.MIN_VALUE;
    private long lastSequence = Long.MIN_VALUE;

    HeartbeatVerifier(String ownNodeId, long clockSkewMs) {
        this.ownNodeId = ownNodeId;
        this.clockSkewMs = clockSkewMs;
        for (HeartbeatRejection r : HeartbeatRejection.values()) {
            rejected.put(r, new AtomicLong());
        }
    }

    /**
     * @param decoded the codec's result
     * @param nowMs this node's wall clock
     * @return null if accepted, else the reason (already counted)
     */
    HeartbeatRejection verify(HeartbeatCodec.Decoded decoded, long nowMs) {
        HeartbeatRejection r = check(decoded, nowMs);
        if (r != null) {
            rejected.get(r).incrementAndGet();
        }
        return r;
    }

    private HeartbeatRejection check(HeartbeatCodec.Decoded decoded, long nowMs) {
        if (decoded.rejection() != null) {
            return decoded.rejection();
        }
        Heartbeat hb = decoded.heartbeat();
        if (hb.role() != HaRole.PRIMARY || hb.nodeId().equals(ownNodeId)) {
            return HeartbeatRejection.NOT_FROM_PRIMARY;
        }
        if (Math.abs(nowMs - hb.timestampMs()) > clockSkewMs) {
            return HeartbeatRejection.STALE;
        }
        if (hb.epoch() < lastEpoch || (hb.epoch() == lastEpoch && hb.sequence() <= lastSequence)) {
            return HeartbeatRejection.REPLAYED;
        }
        lastEpoch = hb.epoch();
        lastSequence = hb.sequence();
        return null;
    }

    long rejected(HeartbeatRejection reason) {
        return rejected.get(reason).get();
    }

    long rejectedTotal() {
        long n = 0;
        for (AtomicLong c : rejected.values()) {
            n += c.get();
        }
        return n;
    }
}
