package org.callrec.api.storage;

import java.time.Instant;

/**
 * A catalog search. Null fields do not constrain.
 *
 * @param from start time at or after
 * @param to start time before
 * @param extension the recorded extension
 * @param userId the recorded user
 * @param ani calling number (exact)
 * @param dnis dialled number (exact)
 * @param callId the call id or a related call id
 * @param status the status
 * @param minDurationMillis minimum audio length
 * @param offset rows to skip
 * @param limit maximum rows (1-1000)
 */
public record RecordingQuery(Instant from, Instant to, String extension, String userId, String ani, String dnis,
        String callId, RecordingStatus status, Long minDurationMillis, int offset, int limit) {

    /** Validates paging. */
    public RecordingQuery {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0: " + offset);
        }
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1-1000: " + limit);
        }
    }
}
