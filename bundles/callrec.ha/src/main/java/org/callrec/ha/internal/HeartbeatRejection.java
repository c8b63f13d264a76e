package org.callrec.ha.internal;

/** Why a received heartbeat was not accepted; each is counted. */
enum HeartbeatRejection {
    /** Not a heartbeat of this format: wrong size, magic or version. */
    MALFORMED("malformed packet"),
    /** HMAC-SHA256 does not match: forged, corrupted, or the peers' secrets differ. */
    BAD_MAC("bad MAC (forged, or the peers' heartbeatSecret differ)"),
    /** Sequence (or epoch) not newer than the last accepted one: a replay or a reordered duplicate. */
    REPLAYED("old sequence (replayed)"),
    /** Timestamp outside the allowed clock skew: a late replay or unsynchronised clocks. */
    STALE("timestamp outside the window"),
    /** Authentic but not from a primary (e.g. another secondary, or this node's own id). */
    NOT_FROM_PRIMARY("not from a primary");

    private final String description;

    HeartbeatRejection(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }
}
