package org.callrec.api.rtp;

/**
 * Counters of one RTP stream, as a snapshot.
 *
 * @param received packets accepted into play-out
 * @param lost packets never received (by sequence numbers)
 * @param late packets that arrived after their play-out time
 * @param duplicated packets received more than once
 * @param reordered packets received out of order but in time
 * @param malformed packets that could not be parsed, dropped
 * @param concealedMillis milliseconds of audio produced by loss concealment
 * @param maxJitterMillis highest RFC 3550 interarrival jitter seen, in milliseconds
 */
public record StreamStats(long received, long lost, long late, long duplicated, long reordered,
        long malformed, long concealedMillis, double maxJitterMillis) {

    /** No packets seen yet. */
    public static final StreamStats EMPTY = new StreamStats(0, 0, 0, 0, 0, 0, 0, 0);
}
