package org.callrec.capture.wave.internal.routepoint;

import java.time.Instant;

import org.callrec.api.call.CallDirection;
import org.callrec.api.call.CallEvent;
import org.callrec.api.call.CallEventType;
import org.callrec.api.call.CallOrigin;
import org.callrec.api.call.CallParties;
import org.callrec.api.capture.CaptureRequest;
import org.callrec.api.directory.User;

/** Call events and capture requests for tests: ext 2001 (Alice) with an external caller. */
public final class Calls {

    private Calls() {
    }

    public static CallEvent event(String callId, CallEventType type, CallOrigin origin, String connected) {
        return new CallEvent("test", callId, type, Instant.now(), "2001",
                new CallParties("+4930123456", "2001", connected, null), origin, CallDirection.INBOUND, null, null,
                null);
    }

    public static CaptureRequest request(String callId, FakeRecording rec) {
        return new CaptureRequest(event(callId, CallEventType.CONNECTED, CallOrigin.EXTERNAL, null),
                new User("u1", "Alice", "alice", true, "", "2001", null, null), rec);
    }

}
