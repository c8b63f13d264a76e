package org.callrec.api.recorder;

import java.time.Instant;

/**
 * One user's current call as the recorder tracks it.
 *
 * @param userId the user's id
 * @param extension the extension the call is on
 * @param callId the call's id
 * @param state the user's state
 * @param otherParty the other party's number, or null
 * @param since when the current state began
 * @param recordingId the recording in progress, or null when not recorded
 * @param notRecordedReason why the call is not being recorded, or null when it is
 */
public record LiveCall(String userId, String extension, String callId, UserState state, String otherParty,
        Instant since, String recordingId, String notRecordedReason) {
}
