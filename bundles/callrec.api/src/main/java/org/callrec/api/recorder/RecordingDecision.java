package org.callrec.api.recorder;

import java.util.Objects;

import org.callrec.api.directory.User;

/**
 * Whether a call on an extension is recorded here, and why (not) in words an administrator
 * understands.
 *
 * @param record true if this node records the call
 * @param user the user the extension belongs to, or null when none
 * @param reason why: e.g. "not licensed", "assigned to recording server B", "internal call (not
 *        recordable in TAPI/Wave)"
 */
public record RecordingDecision(boolean record, User user, String reason) {

    /** Validates the decision. */
    public RecordingDecision {
        Objects.requireNonNull(reason, "reason");
    }
}
