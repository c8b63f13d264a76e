package org.callrec.core.internal.recorder;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.callrec.api.call.CallDirection;
import org.callrec.api.call.CallEvent;
import org.callrec.api.call.CallEventListener;
import org.callrec.api.call.CallOrigin;
import org.callrec.api.capture.AudioCapture;
import org.callrec.api.capture.CaptureException;
import org.callrec.api.capture.CaptureRequest;
import org.callrec.api.directory.User;
import org.callrec.api.directory.UserDirectory;
import org.callrec.api.ha.CallLease;
import org.callrec.api.ha.HaState;
import org.callrec.api.ha.HighAvailability;
import org.callrec.api.mode.IntegrationMode;
import org.callrec.api.mode.ModeController;
import org.callrec.api.recorder.LiveCall;
import org.callrec.api.recorder.Recorder;
import org.callrec.api.recorder.RecordingDecision;
import org.callrec.api.recorder.UserState;
import org.callrec.api.storage.Recording;
import org.callrec.api.storage.RecordingMetadata;
import org.callrec.api.storage.RecordingStatus;
import org.callrec.api.storage.RecordingWriter;
import org.callrec.api.storage.StorageException;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path for data: call events come in, the recorder decides per call whether this node
 * records it (and says why not), opens the recording, and hands it to the active mode's capture.
 * Events of one call are handled in order; different calls run in parallel, so a slow capture
 * start (a Route Point call) never delays another call.
 *
 * <p>When the active capture goes away (mode switch, shutdown), its sessions are stopped and their
 * recordings closed with that reason: nothing recorded is lost. When a capture arrives, calls in
 * progress that should be recorded start a new segment under the same call id.
 */
@Component(service = {Recorder.class, CallEventListener.class}, configurationPid = "org.callrec.core.recorder",
        immediate = true)
@Designate(ocd = RecorderConfig.class)
public final class CallRecorder implements Recorder, CallEventListener {

    private static final Logger LOG = LoggerFactory.getLogger(CallRecorder.class);

    @Reference
    private UserDirectory users;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModeController modes;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HighAvailability ha;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RecordingWriter writer;

    private volatile AudioCapture capture;

    /** Kept in the order {@link #liveCalls()} lists them: the offline import asks for them after every call it reads. */
    private final Map<CallKey, TrackedCall> calls = new ConcurrentSkipListMap<>(
            Comparator.comparing(CallKey::extension).thenComparing(CallKey::callId));
    private final Map<String, CompletableFuture<Void>> order = new ConcurrentHashMap<>();
    private final Executor executor;
    private final ExecutorService ownPool;
    private volatile String serverName = "";

    /** For DS: calls run on a small pool of the recorder's own. */
    public CallRecorder() {
        ownPool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "callrec-recorder");
            t.setDaemon(true);
            return t;
        });
        executor = ownPool;
    }

    /** For tests: a given executor (e.g. the caller's thread) and services. */
    CallRecorder(Executor executor, UserDirectory users, RecordingWriter writer, ModeController modes,
            HighAvailability ha, String serverName) {
        this.executor = executor;
        this.ownPool = null;
        this.users = users;
        this.writer = writer;
        this.modes = modes;
        this.ha = ha;
        this.serverName = serverName;
    }

    @Activate
    @Modified
    void configure(BundleContext ctx, RecorderConfig config) {
        String name = config.serverName().trim();
        if (name.isEmpty()) {
            name = Optional.ofNullable(ctx.getProperty("callrec.server")).filter(s -> !s.isBlank()).orElseGet(() -> {
                try {
                    return InetAddress.getLocalHost().getHostName();
                } catch (UnknownHostException e) {
                    return "localhost";
                }
            });
        }
        serverName = name;
        LOG.info("Recorder: this recording server is '{}'", serverName);
    }

    @Deactivate
    void deactivate() {
        for (TrackedCall c : calls.values()) {
            endRecording(c, RecordingStatus.COMPLETE, "recorder stopped (shutdown or update) while the call went on");
        }
        if (ownPool != null) {
            ownPool.shutdown();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCapture(AudioCapture c) {
        capture = c;
        LOG.info("Recorder: audio capture for {} available", c.mode().id());
        for (TrackedCall call : calls.values()) {
            if (call.recording == null && (call.state == UserState.ON_PHONE || call.state == UserState.ON_HOLD)
                    && call.lastEvent != null) {
                inOrder(call, () -> startIfRecordable(call, call.lastEvent));
            }
        }
    }

    void unbindCapture(AudioCapture c) {
        if (capture == c) {
            capture = null;
        }
        for (TrackedCall call : calls.values()) {
            if (call.capture == c) {
                // Synchronously: the capture is still usable while its service is being unregistered.
                endRecording(call, RecordingStatus.COMPLETE, "audio capture of mode " + c.mode().id()
                        + " stopped (mode switch or shutdown); this segment ends here");
                call.notRecordedReason = "audio capture of mode " + c.mode().id() + " stopped";
            }
        }
    }

    @Override
    public void onCallEvent(CallEvent event) {
        TrackedCall call = calls.computeIfAbsent(new CallKey(event.extension(), event.callId()),
                k -> new TrackedCall(event.extension(), event.callId()));
        inOrder(call, () -> handle(call, event));
    }

    private void inOrder(TrackedCall call, Runnable task) {
        String key = TrackedCall.key(call.extension, call.callId);
        order.compute(key, (k, prev) -> (prev == null ? CompletableFuture.<Void>completedFuture(null) : prev)
                .thenRunAsync(() -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.error("Recorder: call {} on ext {}: {}", call.callId, call.extension, e.toString(), e);
                    }
                }, executor));
    }

    private void handle(TrackedCall call, CallEvent e) {
        call.lastEvent = e;
        call.relatedCallIds.addAll(e.relatedCallIds());
        String other = e.direction() == CallDirection.OUTBOUND ? e.parties().called() : e.parties().caller();
        if (e.parties().connected() != null) {
            other = e.parties().connected();
        }
        if (other != null) {
            call.otherParty = other;
        }
        switch (e.type()) {
            case OFFERING, ACCEPTED, DIALING -> setState(call, UserState.RINGING, e);
            case CONNECTED -> {
                setState(call, UserState.ON_PHONE, e);
                startIfRecordable(call, e);
            }
            case ON_HOLD -> {
                setState(call, UserState.ON_HOLD, e);
                update(call, e);
            }
            case RESUMED -> {
                setState(call, UserState.ON_PHONE, e);
                update(call, e);
            }
            case CONFERENCED, TRANSFERRED -> update(call, e);
            case DISCONNECTED, IDLE -> {
                endRecording(call, RecordingStatus.COMPLETE, null);
                calls.remove(new CallKey(call.extension, call.callId));
                order.remove(TrackedCall.key(call.extension, call.callId));
            }
            default -> throw new IllegalStateException("unhandled event type " + e.type());
        }
    }

    private static void setState(TrackedCall call, UserState s, CallEvent e) {
        if (call.state != s || call.since == null) {
            call.since = e.time();
        }
        call.state = s;
    }

    private void update(TrackedCall call, CallEvent e) {
        if (call.session != null) {
            call.session.update(e);
        }
    }

    private void startIfRecordable(TrackedCall call, CallEvent e) {
        synchronized (call) {
            startLocked(call, e);
        }
    }

    private void startLocked(TrackedCall call, CallEvent e) {
        if (call.recording != null) {
            return;
        }
        RecordingDecision d = decide(e);
        call.user = d.user();
        if (!d.record()) {
            call.notRecordedReason = d.reason();
            if (!call.skipLogged) {
                call.skipLogged = true;
                LOG.info("Call {} on ext {} not recorded: {}", e.callId(), e.extension(), d.reason());
                recordSkip(call, e, d);
            }
            return;
        }
        AudioCapture cap = capture;
        RecordingWriter w = writer;
        IntegrationMode mode = cap.mode();
        HighAvailability h = ha;
        CallLease lease = null;
        if (h != null) {
            // claim and check in one step: a secondary cannot stand down between them
            lease = h.claimCall(e.callId()).orElse(null);
            if (lease == null) {
                call.notRecordedReason = "this node may not take new calls now (HA " + h.state().role()
                        + ", standing by or handing back to the primary)";
                LOG.info("Call {} on ext {} not recorded: {}", e.callId(), e.extension(), call.notRecordedReason);
                return;
            }
        }
        Recording rec;
        try {
            rec = w.open(metadata(call, e, d.user(), mode));
        } catch (StorageException ex) {
            call.notRecordedReason = "storage refused the recording: " + ex.getMessage();
            LOG.error("Call {} on ext {} not recorded: {}", e.callId(), e.extension(), call.notRecordedReason);
            if (lease != null) {
                lease.release();
            }
            return;
        }
        call.lease = lease;
        call.recording = rec;
        call.capture = cap;
        try {
            call.session = cap.start(new CaptureRequest(e, d.user(), rec));
            call.notRecordedReason = null;
            LOG.info("Call {} on ext {} ({}): recording {} by {}", e.callId(), e.extension(), d.user().name(), rec.id(),
                    mode.id());
        } catch (CaptureException | RuntimeException ex) {
            String reason = ex instanceof CaptureException ? ex.getMessage() : "capture failed: " + ex;
            call.recording = null;
            call.capture = null;
            call.notRecordedReason = reason;
            rec.close(RecordingStatus.FAILED, reason);
            if (call.lease != null) {
                call.lease.releaseRefused(reason);
                call.lease = null;
            }
            LOG.error("Call {} on ext {} not recorded: {}", e.callId(), e.extension(), reason);
        }
    }

    /** In TAPI/Wave, a call that can never be recorded gets a catalog entry saying why (not silence). */
    private void recordSkip(TrackedCall call, CallEvent e, RecordingDecision d) {
        RecordingWriter w = writer;
        AudioCapture cap = capture;
        if (w == null || cap == null || d.user() == null || !d.user().licensed()
                || cap.mode() != IntegrationMode.SHORETEL_TAPI_WAVE || e.origin() != CallOrigin.INTERNAL) {
            return;
        }
        w.skipped(metadata(call, e, d.user(), cap.mode()), RecordingStatus.SKIPPED, d.reason());
    }

    private RecordingMetadata metadata(TrackedCall call, CallEvent e, User user, IntegrationMode mode) {
        HighAvailability h = ha;
        HaState hs = h == null ? null : h.state();
        return new RecordingMetadata(e.callId(), new ArrayList<>(call.relatedCallIds), e.extension(), user.id(),
                e.parties().caller(), e.dnis(), e.direction(), Instant.now(),
                mode == IntegrationMode.SHORETEL_TAPI_WAVE ? 1 : 2, mode, serverName, hs == null ? null : hs.nodeId());
    }

    private void endRecording(TrackedCall call, RecordingStatus status, String reason) {
        synchronized (call) {
            endLocked(call, status, reason);
        }
    }

    private void endLocked(TrackedCall call, RecordingStatus status, String reason) {
        Recording rec = call.recording;
        if (rec == null) {
            return;
        }
        try {
            if (call.session != null) {
                call.session.stop();
            }
        } catch (RuntimeException ex) {
            LOG.error("Call {} on ext {}: stopping the capture failed: {}", call.callId, call.extension, ex.toString());
        } finally {
            rec.close(status, reason);
            call.recording = null;
            call.session = null;
            call.capture = null;
            if (call.lease != null) {
                call.lease.release();
                call.lease = null;
            }
        }
        LOG.info("Call {} on ext {}: recording {} closed ({}{})", call.callId, call.extension, rec.id(), status.id(),
                reason == null ? "" : ": " + reason);
    }

    @Override
    public RecordingDecision decide(CallEvent e) {
        Optional<User> found = users.byExtension(e.extension());
        if (found.isEmpty()) {
            return new RecordingDecision(false, null, "extension " + e.extension() + " belongs to no configured user");
        }
        User u = found.get();
        if (!u.licensed()) {
            return new RecordingDecision(false, u, "user '" + u.name() + "' (ext " + e.extension()
                    + ") has no Call Recording license");
        }
        if (!u.recordingServer().isEmpty() && !u.recordingServer().equalsIgnoreCase(serverName)) {
            return new RecordingDecision(false, u, "user '" + u.name() + "' is assigned to recording server '"
                    + u.recordingServer() + "'; this server is '" + serverName + "'");
        }
        AudioCapture cap = capture;
        if (cap == null) {
            ModeController m = modes;
            return new RecordingDecision(false, u, "no audio capture is active"
                    + (m == null ? "" : " for mode " + m.mode().id()) + "; check the integration mode and its bundles");
        }
        if (cap.mode() == IntegrationMode.SHORETEL_TAPI_WAVE && e.origin() == CallOrigin.INTERNAL) {
            return new RecordingDecision(false, u, "internal call between extensions: not recordable in ShoreTel "
                    + "TAPI/Wave mode (the PBX gives a Route Point no audio of internal calls)");
        }
        HighAvailability h = ha;
        if (h != null && !h.isActive()) {
            return new RecordingDecision(false, u, "this node is the HA standby (" + h.state().role()
                    + "); the active node records");
        }
        if (writer == null) {
            return new RecordingDecision(false, u, "storage is not available");
        }
        return new RecordingDecision(true, u, "licensed user '" + u.name() + "' on ext " + e.extension());
    }

    private record CallKey(String extension, String callId) {
    }

    @Override
    public List<LiveCall> liveCalls() {
        List<LiveCall> out = new ArrayList<>();
        calls.values().forEach(c -> out.add(c.live())); // by extension, then call id
        return out;
    }
}
