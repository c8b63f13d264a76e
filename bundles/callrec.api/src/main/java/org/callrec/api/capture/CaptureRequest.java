package org.callrec.api.capture;

import java.util.Objects;

import org.callrec.api.call.CallEvent;
import org.callrec.api.directory.User;
import org.callrec.api.storage.Recording;

/**
 * Asks a capture to record one call.
 *
 * @param call the event that made the call recordable (usually CONNECTED)
 * @param user the recorded user
 * @param recording the open recording the capture writes into
 */
public record CaptureRequest(CallEvent call, User user, Recording recording) {

    /** Validates the request. */
    public CaptureRequest {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(recording, "recording");
    }
}
