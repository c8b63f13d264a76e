package org.callrec.core.internal.recorder;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

import org.callrec.api.call.CallEvent;
import org.callrec.api.capture.AudioCapture;
import org.callrec.api.capture.CaptureSession;
import org.callrec.api.directory.User;
import org.callrec.api.ha.CallLease;
import org.callrec.api.recorder.LiveCall;
import org.callrec.api.recorder.UserState;
import org.callrec.api.storage.Recording;

/** One call on one monitored extension, as the recorder follows it. Guarded by the recorder's per-call ordering. */
final class TrackedCall {

    final String extension;
    final String callId;
    final Set<String> relatedCallIds = new LinkedHashSet<>();
    volatile User user;
    volatile UserState state = UserState.RINGING;
    volatile String otherParty;
    volatile Instant since;
    volatile CallEvent lastEvent;
    volatile Recording recording;
    volatile CaptureSession session;
    volatile AudioCapture capture;
    volatile CallLease lease;
    volatile String notRecordedReason;
    volatile boolean skipLogged;

    TrackedCall(String extension, String callId) {
        this.extension = extension;
        this.callId = callId;
    }

    static String key(String extension, String callId) {
        return extension + "/" + callId;
    }

    LiveCall live() {
        Recording r = recording;
        return new LiveCall(user == null ? null : user.id(), extension, callId, state, otherParty, since,
                r == null ? null : r.id(), r == null ? notRecordedReason : null);
    }
}
