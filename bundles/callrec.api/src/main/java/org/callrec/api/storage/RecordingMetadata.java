package org.callrec.api.storage;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.callrec.api.call.CallDirection;
import org.callrec.api.mode.IntegrationMode;

/**
 * What is known about a recording when it is opened.
 *
 * @param callId the call's id
 * @param relatedCallIds ids of other segments of the same interaction
 * @param extension the recorded extension
 * @param userId the recorded user's id
 * @param ani calling number, or null
 * @param dnis dialled number, only when DNIS processing is enabled, else null
 * @param direction the call's direction from the user's side
 * @param start when recording began
 * @param channels 2 for port-mirror (left user, right other party), 1 for TAPI/Wave
 * @param mode the integration mode that recorded it
 * @param recordingServer this recording server's name
 * @param haNode this node's HA id, or null without HA
 */
public record RecordingMetadata(String callId, List<String> relatedCallIds, String extension, String userId,
        String ani, String dnis, CallDirection direction, Instant start, int channels, IntegrationMode mode,
        String recordingServer, String haNode) {

    /** Validates the metadata. */
    public RecordingMetadata {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(extension, "extension");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(mode, "mode");
        if (channels != 1 && channels != 2) {
            throw new IllegalArgumentException("channels must be 1 or 2: " + channels);
        }
        relatedCallIds = relatedCallIds == null ? List.of() : List.copyOf(relatedCallIds);
        direction = direction == null ? CallDirection.UNKNOWN : direction;
    }
}
