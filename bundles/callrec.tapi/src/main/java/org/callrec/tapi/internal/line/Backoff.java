package org.callrec.tapi.internal.line;

import java.time.Duration;

/** Reconnect delays: starts at the initial delay, doubles after each failure, capped. */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private Duration next;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max: " + initial + ", " + max);
        }
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** @return the delay before the next attempt; the one after it is twice as long (capped) */
    public Duration next() {
        Duration d = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return d;
    }

    /** The link is up again: the next outage starts from the initial delay. */
    public void reset() {
        next = initial;
    }
}
