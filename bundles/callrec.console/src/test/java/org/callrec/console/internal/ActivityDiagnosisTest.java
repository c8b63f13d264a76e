package org.callrec.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.callrec.api.call.CallEvent;
import org.callrec.api.directory.User;
import org.callrec.api.directory.UserDirectory;
import org.callrec.api.health.Diagnosis;
import org.callrec.api.health.Diagnostics;
import org.callrec.api.recorder.LiveCall;
import org.callrec.api.recorder.Recorder;
import org.callrec.api.recorder.RecordingDecision;
import org.callrec.api.recorder.UserState;
import org.junit.jupiter.api.Test;

/** Real-Time Activity says why a recorded call has no audio: the capture's diagnosis for the extension. */
class ActivityDiagnosisTest {

    @Test
    void noRtpDiagnosisIsShownOnTheCallsRowOnly() throws Exception {
        User ann = new User("u1", "Ann", "ann", true, "", "2001", List.of(), "10.0.0.51");
        User bob = new User("u2", "Bob", "bob", true, "", "2002", List.of(), "10.0.0.52");
        UserDirectory dir = new UserDirectory() {
            @Override
            public List<User> users() {
                return List.of(ann, bob);
            }

            @Override
            public Optional<User> byExtension(String e) {
                return users().stream().filter(u -> u.owns(e)).findFirst();
            }

            @Override
            public Optional<User> byEndpointIp(String ip) {
                return Optional.empty();
            }
        };
        Recorder rec = new Recorder() {
            @Override
            public RecordingDecision decide(CallEvent event) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<LiveCall> liveCalls() {
                return List.of(new LiveCall("u1", "2001", "c1", UserState.ON_PHONE, "+15550100", Instant.now(), "rec-1", null));
            }
        };
        Diagnostics noRtp = () -> List.of(new Diagnosis("ext 2001",
                "call on ext 2001 connected 10 s ago, no RTP seen from 10.0.0.51 on the capture NIC eth1",
                List.of("mirror port", "endpoint IP"), Instant.now()));
        RestApi api = new RestApi();
        FakeHttp.inject(api, "users", dir);
        FakeHttp.inject(api, "recorder", rec);
        @SuppressWarnings("unchecked")
        List<Diagnostics> list = (List<Diagnostics>) FakeHttp.field(api, "diagnostics");
        list.add(noRtp);
        List<Map<String, Object>> rows = api.activity();
        assertEquals(2, rows.size());
        assertEquals("call on ext 2001 connected 10 s ago, no RTP seen from 10.0.0.51 on the capture NIC eth1",
                rows.get(0).get("diagnosis"));
        assertEquals(List.of("mirror port", "endpoint IP"), rows.get(0).get("likelyCauses"));
        assertEquals(true, rows.get(0).get("recording"));
        assertEquals(UserState.IDLE, rows.get(1).get("state"));
        assertNull(rows.get(1).get("diagnosis"));
    }
}
