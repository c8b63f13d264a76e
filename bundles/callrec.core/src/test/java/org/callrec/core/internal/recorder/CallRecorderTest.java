package org.callrec.core.internal.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.audio.GapMarker;
import org.callrec.api.audio.PcmSink;
import org.callrec.api.call.CallDirection;
import org.callrec.api.call.CallEvent;
import org.callrec.api.call.CallEventType;
import org.callrec.api.call.CallOrigin;
import org.callrec.api.call.CallParties;
import org.callrec.api.capture.AudioCapture;
import org.callrec.api.capture.CaptureException;
import org.callrec.api.capture.CaptureRequest;
import org.callrec.api.capture.CaptureSession;
import org.callrec.api.directory.User;
import org.callrec.api.directory.UserDirectory;
import org.callrec.api.ha.CallLease;
import org.callrec.api.ha.HaRole;
import org.callrec.api.ha.HaState;
import org.callrec.api.ha.HighAvailability;
import org.callrec.api.mode.IntegrationMode;
import org.callrec.api.recorder.LiveCall;
import org.callrec.api.recorder.UserState;
import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.storage.RawPayloadSink;
import org.callrec.api.storage.Recording;
import org.callrec.api.storage.RecordingMetadata;
import org.callrec.api.storage.RecordingStatus;
import org.callrec.api.storage.RecordingWriter;
import org.callrec.api.storage.StorageException;
import org.junit.jupiter.api.Test;

/** Drives the real recorder with in-memory stand-ins of the contracts it uses. */
class CallRecorderTest {

    private static final User ALICE = new User("u1", "Alice", "alice", true, "rec-a", "2001", List.of("2901"), "10.0.0.51");
    private static final User BOB = new User("u2", "Bob", "bob", false, "rec-a", "2002", List.of(), "10.0.0.52");
    private static final User CAROL = new User("u3", "Carol", "carol", true, "rec-b", "2003", List.of(), "10.0.0.53");

    /** A directory of fixed users. */
    private static final UserDirectory DIRECTORY = new UserDirectory() {
        @Override
        public List<User> users() {
            return List.of(ALICE, BOB, CAROL);
        }

        @Override
        public Optional<User> byExtension(String ext) {
            return users().stream().filter(u -> u.owns(ext)).findFirst();
        }

        @Override
        public Optional<User> byEndpointIp(String ip) {
            return users().stream().filter(u -> ip.equals(u.endpointIp())).findFirst();
        }
    };

    static final class FakeRecording implements Recording {
        final String id;
        final RecordingMetadata meta;
        RecordingStatus closed;
        String reason;

        FakeRecording(String id, RecordingMetadata meta) {
            this.id = id;
            this.meta = meta;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public RecordingMetadata metadata() {
            return meta;
        }

        @Override
        public PcmSink channel(int channel) {
            return new PcmSink() {
                @Override
                public void pcm(long pos, short[] s, int o, int l) {
                }

                @Override
                public void gap(GapMarker g) {
                }

                @Override
                public void dtmf(DtmfEvent d) {
                }
            };
        }

        @Override
        public RawPayloadSink raw(int channel, PayloadFormat format) {
            return (pos, b, o, l) -> { };
        }

        @Override
        public void annotate(String key, String value) {
        }

        @Override
        public void close(RecordingStatus status, String why) {
            if (closed != null) {
                throw new IllegalStateException("closed twice");
            }
            closed = status;
            reason = why;
        }
    }

    static final class FakeWriter implements RecordingWriter {
        final List<FakeRecording> opened = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        final AtomicInteger ids = new AtomicInteger();

        @Override
        public Recording open(RecordingMetadata m) throws StorageException {
            FakeRecording r = new FakeRecording("rec-" + ids.incrementAndGet(), m);
            opened.add(r);
            return r;
        }

        @Override
        public String skipped(RecordingMetadata m, RecordingStatus status, String reason) {
            skipped.add(m.extension() + " " + status.id() + ": " + reason);
            return "skip-" + ids.incrementAndGet();
        }
    }

    static final class FakeCapture implements AudioCapture {
        final IntegrationMode mode;
        final List<String> log = new ArrayList<>();
        String refuse;

        FakeCapture(IntegrationMode mode) {
            this.mode = mode;
        }

        @Override
        public IntegrationMode mode() {
            return mode;
        }

        @Override
        public CaptureSession start(CaptureRequest r) throws CaptureException {
            if (refuse != null) {
                throw new CaptureException(refuse);
            }
            log.add("start " + r.call().callId() + " " + r.recording().id());
            return new CaptureSession() {
                @Override
                public void update(CallEvent e) {
                    log.add("update " + e.callId() + " " + e.type());
                }

                @Override
                public void stop() {
                    log.add("stop " + r.call().callId());
                }
            };
        }
    }

    private final FakeWriter writer = new FakeWriter();

    private CallRecorder recorder(FakeCapture capture, HighAvailability ha) {
        CallRecorder r = new CallRecorder(Runnable::run, DIRECTORY, writer, null, ha, "rec-a");
        if (capture != null) {
            r.bindCapture(capture);
        }
        return r;
    }

    private static CallEvent event(String callId, CallEventType type, String ext, CallOrigin origin, String... related) {
        return new CallEvent("test", callId, type, Instant.now(), ext, new CallParties("+15551230000", ext, null, null),
                origin, CallDirection.INBOUND, null, List.of(related), List.of());
    }

    @Test
    void licensedUserIsRecordedInStereoThroughHoldAndTransferUntilDisconnect() {
        FakeCapture mirror = new FakeCapture(IntegrationMode.SHORETEL_TAPI);
        CallRecorder r = recorder(mirror, null);
        r.onCallEvent(event("c1", CallEventType.OFFERING, "2001", CallOrigin.EXTERNAL));
        assertEquals(UserState.RINGING, r.liveCalls().get(0).state());
        r.onCallEvent(event("c1", CallEventType.CONNECTED, "2001", CallOrigin.EXTERNAL));
        r.onCallEvent(event("c1", CallEventType.ON_HOLD, "2001", CallOrigin.EXTERNAL));
        assertEquals(UserState.ON_HOLD, r.liveCalls().get(0).state());
        r.onCallEvent(event("c1", CallEventType.RESUMED, "2001", CallOrigin.EXTERNAL));
        r.onCallEvent(event("c1", CallEventType.TRANSFERRED, "2001", CallOrigin.EXTERNAL, "c2"));
        LiveCall live = r.liveCalls().get(0);
        assertEquals("rec-1", live.recordingId());
        assertNull(live.notRecordedReason());
        assertEquals("+15551230000", live.otherParty());
        r.onCallEvent(event("c1", CallEventType.DISCONNECTED, "2001", CallOrigin.EXTERNAL));

        assertEquals(List.of("start c1 rec-1", "update c1 ON_HOLD", "update c1 RESUMED", "update c1 TRANSFERRED", "stop c1"),
                mirror.log);
        FakeRecording rec = writer.opened.get(0);
        assertEquals(RecordingStatus.COMPLETE, rec.closed);
        assertEquals(2, rec.meta.channels());
        assertEquals("u1", rec.meta.userId());
        assertEquals("+15551230000", rec.meta.ani());
        assertEquals("rec-a", rec.meta.recordingServer());
        assertTrue(r.liveCalls().isEmpty());
    }

    @Test
    void additionalExtensionRecordsForItsUser() {
        CallRecorder r = recorder(new FakeCapture(IntegrationMode.SHORETEL_TAPI), null);
        r.onCallEvent(event("c9", CallEventType.CONNECTED, "2901", CallOrigin.EXTERNAL));
        assertEquals("u1", writer.opened.get(0).meta.userId());
        assertEquals("2901", writer.opened.get(0).meta.extension());
    }

    @Test
    void notRecordedCallsSayWhy() {
        CallRecorder r = recorder(new FakeCapture(IntegrationMode.SHORETEL_TAPI), null);
        r.onCallEvent(event("b", CallEventType.CONNECTED, "2002", CallOrigin.EXTERNAL));
        r.onCallEvent(event("c", CallEventType.CONNECTED, "2003", CallOrigin.EXTERNAL));
        r.onCallEvent(event("x", CallEventType.CONNECTED, "2999", CallOrigin.EXTERNAL));
        assertTrue(writer.opened.isEmpty());
        List<LiveCall> live = r.liveCalls();
        assertEquals("user 'Bob' (ext 2002) has no Call Recording license", live.get(0).notRecordedReason());
        assertEquals("user 'Carol' is assigned to recording server 'rec-b'; this server is 'rec-a'", live.get(1).notRecordedReason());
        assertEquals("extension 2999 belongs to no configured user", live.get(2).notRecordedReason());
    }

    @Test
    void waveModeRecordsMonoAndSkipsInternalCallsWithAReasonInTheCatalog() {
        CallRecorder r = recorder(new FakeCapture(IntegrationMode.SHORETEL_TAPI_WAVE), null);
        r.onCallEvent(event("i1", CallEventType.CONNECTED, "2001", CallOrigin.INTERNAL));
        assertTrue(writer.opened.isEmpty());
        assertEquals(1, writer.skipped.size());
        assertTrue(writer.skipped.get(0).startsWith("2001 skipped: internal call between extensions: not recordable in ShoreTel TAPI/Wave"),
                writer.skipped.get(0));
        r.onCallEvent(event("e1", CallEventType.CONNECTED, "2001", CallOrigin.EXTERNAL));
        assertEquals(1, writer.opened.get(0).meta.channels());
        assertEquals(IntegrationMode.SHORETEL_TAPI_WAVE, writer.opened.get(0).meta.mode());
    }

    @Test
    void standbyNodeDoesNotRecord() {
        HighAvailability standby = () -> new HaState("node-2", HaRole.SECONDARY, false, Instant.now(), "10.1.1.1", Instant.now(), 0);
        CallRecorder r = recorder(new FakeCapture(IntegrationMode.SHORETEL_TAPI_WAVE), standby);
        r.onCallEvent(event("c1", CallEventType.CONNECTED, "2001", CallOrigin.EXTERNAL));
        assertTrue(writer.opened.isEmpty());
        assertEquals("this node is the HA standby (SECONDARY); the active node records", r.liveCalls().get(0).notRecordedReason());
    }

    /** An active HA node that counts its leases, like callrec.ha's failback bookkeeping. */
    static final class CountingHa implements HighAvailability {
        final List<String> log = new ArrayList<>();
        boolean acceptNew = true;

        @Override
        public HaState state() {
            return new HaState("node-1", HaRole.SECONDARY, true, Instant.now(), null, null, 0);
        }

        @Override
        public Optional<CallLease> claimCall(String callId) {
            if (!acceptNew) {
                log.add("refused " + callId);
                return Optional.empty();
            }
            log.add("claim " + callId);
            return Optional.of(new CallLease() {
                @Override
                public String callId() {
                    return callId;
                }

                @Override
                public void release() {
                    log.add("release " + callId);
                }

                @Override
                public void releaseRefused(String reason) {
                    log.add("refused-by-capture " + callId + ": " + reason);
                }
            });
        }
    }

    @Test
    void haLeaseIsHeldForTheRecordingAndReleasedAtItsEnd() {
        CountingHa ha = new CountingHa();
        FakeCapture wave = new FakeCapture(IntegrationMode.SHORETEL_TAPI_WAVE);
        CallRecorder r = recorder(wave, ha);
        r.onCallEvent(event("c1", CallEventType.CONNECTED, "2001", CallOrigin.EXTERNAL));
        assertEquals("node-1", writer.opened.get(0).meta.haNode());
        r.onCallEvent(event("c1", CallEventType.DISCONNECTED, "2001", CallOrigin.EXTERNAL));
        wave.refuse = "486 Busy Here from Route Point 7999";
        r.onCallEvent(event("c2", CallEventType.CONNECTED, "2001", CallOrigin.EXTERNAL));
        ha.acceptNew = false;
        r.onCallEvent(event("c3", CallEventType.CONNECTED, "2001", CallOrigin.EXTERNAL));
        assertEquals(List.of("claim c1", "release c1", "claim c2", "refused-by-capture c2: 486 Busy Here from Route Point 7999",
                "refused c3"), ha.log);
        assertEquals(2, writer.opened.size(), "no recording is opened without a lease");
        assertTrue(r.liveCalls().stream().anyMatch(c -> "c3".equals(c.callId())
                && c.notRecordedReason().startsWith("this node may not take new calls now")));
    }

    @Test
    void refusedCaptureClosesTheRecordingAsFailedWithItsReason() {
        FakeCapture c = new FakeCapture(IntegrationMode.SHORETEL_TAPI);
        c.refuse = "no RTP capture on NIC eth1";
        CallRecorder r = recorder(c, null);
        r.onCallEvent(event("c1", CallEventType.CONNECTED, "2001", CallOrigin.EXTERNAL));
        assertEquals(RecordingStatus.FAILED, writer.opened.get(0).closed);
        assertEquals("no RTP capture on NIC eth1", writer.opened.get(0).reason);
        assertEquals("no RTP capture on NIC eth1", r.liveCalls().get(0).notRecordedReason());
    }

    @Test
    void modeSwitchEndsTheSegmentCleanlyAndTheNewCaptureContinuesTheCall() {
        FakeCapture mirror = new FakeCapture(IntegrationMode.SHORETEL_TAPI);
        CallRecorder r = recorder(mirror, null);
        r.onCallEvent(event("c1", CallEventType.CONNECTED, "2001", CallOrigin.EXTERNAL));
        r.unbindCapture(mirror);
        FakeRecording first = writer.opened.get(0);
        assertEquals(RecordingStatus.COMPLETE, first.closed);
        assertTrue(first.reason.contains("mode switch"), first.reason);
        assertEquals(List.of("start c1 rec-1", "stop c1"), mirror.log);

        FakeCapture wave = new FakeCapture(IntegrationMode.SHORETEL_TAPI_WAVE);
        r.bindCapture(wave);
        assertEquals(2, writer.opened.size(), "a new segment starts for the call in progress");
        assertEquals("c1", writer.opened.get(1).meta.callId());
        assertEquals(1, writer.opened.get(1).meta.channels());
        r.onCallEvent(event("c1", CallEventType.DISCONNECTED, "2001", CallOrigin.EXTERNAL));
        assertEquals(RecordingStatus.COMPLETE, writer.opened.get(1).closed);
    }

    @Test
    void withoutCaptureTheReasonNamesIt() {
        CallRecorder r = recorder(null, null);
        r.onCallEvent(event("c1", CallEventType.CONNECTED, "2001", CallOrigin.EXTERNAL));
        assertTrue(r.liveCalls().get(0).notRecordedReason().startsWith("no audio capture is active"));
    }
}
