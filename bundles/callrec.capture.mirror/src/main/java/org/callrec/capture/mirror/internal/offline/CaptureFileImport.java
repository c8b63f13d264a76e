package org.callrec.capture.mirror.internal.offline;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.callrec.api.call.CallEvent;
import org.callrec.api.call.CallEventListener;
import org.callrec.api.call.CallEventType;
import org.callrec.api.call.CapturePacedSource;
import org.callrec.api.capture.AudioCapture;
import org.callrec.api.directory.UserDirectory;
import org.callrec.api.mode.IntegrationMode;
import org.callrec.api.recorder.Recorder;
import org.callrec.api.sip.SipPacketSink;
import org.callrec.api.storage.RecordingCatalog;
import org.callrec.api.storage.RecordingEntry;
import org.callrec.api.storage.RecordingQuery;
import org.callrec.api.storage.RecordingStatus;
import org.callrec.capture.mirror.internal.MirrorAccess;
import org.callrec.capture.mirror.internal.packet.CaptureFileException;
import org.callrec.capture.mirror.internal.packet.CaptureFileReader;
import org.callrec.capture.mirror.internal.packet.CaptureFileSummary;
import org.callrec.capture.mirror.internal.packet.FrameDecoder;
import org.callrec.capture.mirror.internal.packet.UdpDatagram;
import org.callrec.capture.mirror.internal.packet.UdpPacketSink;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code callrec import <file> --out <dir>}, inside the runtime the launcher starts for it: reads a
 * pcap/pcapng file through the same path as the live capture (frame decoder, passive SIP, recorder,
 * RTP correlation, play-out, storage), so a call imported gives the audio the live path would have
 * given. The file is read far faster than real time, so after a call connects the reading waits
 * until the recorder has bound the call's RTP. Registered as a plain {@link Function} so the
 * launcher, outside the framework, can call it without sharing any callrec class.
 *
 * <p>With {@code --scenario} the call events come from the TAPI provider's scripted PBX instead
 * (configured by the launcher to play the scenario on the capture's clock) and passive SIP is not
 * fed: before each packet whose capture time is later than the last, the PBX's clock is advanced to
 * it, which returns once the events due by then reached the recorder. So a step takes effect at its
 * capture time, never at a wall-clock time, and the result does not depend on how fast the file is
 * read.
 */
@Component(service = {Function.class, CallEventListener.class}, immediate = true, property = {"callrec.command=import",
    IntegrationMode.SERVICE_PROPERTY + "=shoretel-tapi"})
public final class CaptureFileImport implements Function<String[], Integer>, CallEventListener {

    private static final long BIND_WAIT_MILLIS = 5000;
    private static final long CLOSE_WAIT_MILLIS = 30_000;
    private static final long NANOS_PER_MS = 1_000_000L;

    // dynamic and greedy: a replaced service is rebound, never this component re-created, since the
    // launcher and passive SIP must hold the same instance for the whole import
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(component.name=org.callrec.capture.mirror.internal.MirrorCapture)")
    private volatile AudioCapture capture;

    // optional: passive SIP registers its sink without a DS capability; a missing one is reported
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SipPacketSink sip;

    // optional: present only when the launcher configured the scripted PBX on the capture clock
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CapturePacedSource scenario;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Recorder recorder;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile RecordingCatalog catalog;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile UserDirectory users;

    /**
     * The runtime starts storage and the mode's bundles while this command already runs; reading
     * before the recorder would record loses the first calls. Asks the recorder (no side effects)
     * whether it would record a connected external call of the first user, until its answer no
     * longer names a missing capture or storage, or 30 s.
     *
     * @return null when ready (or no user is configured), else the recorder's last reason
     */
    private String awaitRecorderReady() {
        if (users.users().isEmpty()) {
            return null;
        }
        String ext = users.users().get(0).extension();
        org.callrec.api.call.CallEvent probe = new org.callrec.api.call.CallEvent("import", "readiness-probe",
                org.callrec.api.call.CallEventType.CONNECTED, java.time.Instant.now(), ext, null,
                org.callrec.api.call.CallOrigin.EXTERNAL, org.callrec.api.call.CallDirection.INBOUND, null, null, null);
        long deadline = System.nanoTime() + 30_000 * NANOS_PER_MS;
        String reason;
        do {
            org.callrec.api.recorder.RecordingDecision d = recorder.decide(probe);
            // only a missing capture or storage means "not yet"; any other answer is the user's own
            if (d.record() || !(d.reason().startsWith("storage is not available")
                    || d.reason().startsWith("no audio capture is active"))) {
                return null;
            }
            reason = d.reason();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        } while (System.nanoTime() < deadline);
        return reason;
    }

    // call id -> the capture time its recorded side connected (the recording's start in the file)
    private final Map<String, Instant> connected = new ConcurrentHashMap<>();
    // calls connected for a recorded user whose RTP binding the reading waits for
    private final Set<String> awaitingBind = ConcurrentHashMap.newKeySet();
    // sides ("extension|call id") of ended calls whose capture the reading waits to stop: the recorder
    // handles events on its own threads, and a phone's next call must not be bound before its previous one is released, or its
    // look-back would replay the previous call's last packets
    private final Set<String> awaitingUnbind = ConcurrentHashMap.newKeySet();
    // (extension, call id) -> last event, for calls the file ends in the middle of
    private final Map<String, CallEvent> open = new ConcurrentHashMap<>();
    // calls the recorder started capturing: the catalog must list this many closed recordings
    private final Set<String> recorded = ConcurrentHashMap.newKeySet();
    // calls connected for a recorded user that the recorder refused, with its reason
    private final Map<String, String> refused = new ConcurrentHashMap<>();

    // events are followed only while an import runs: in the live runtime this listener stays idle
    private volatile boolean importing;
    private volatile PrintStream warnings = System.err;

    @Override
    public void onCallEvent(CallEvent e) {
        if (!importing) {
            return;
        }
        String key = e.extension() + "|" + e.callId();
        if (e.type() == CallEventType.DISCONNECTED || e.type() == CallEventType.IDLE) {
            open.remove(key);
            if (capture != null && new MirrorAccess(capture).capturing(e.callId(), e.extension())) {
                awaitingUnbind.add(key); // this side only: the other side of an internal call may record on
            }
            return;
        }
        open.put(key, e);
        if (e.type() == CallEventType.CONNECTED && recorder.decide(e).record()) {
            connected.putIfAbsent(e.callId(), e.time());
            awaitingBind.add(e.callId());
        }
    }

    /** The scenario cannot be played against this file: reading stops, nothing is written. */
    private static final class ScenarioRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        ScenarioRefused(String message, int exitCode) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }

    /**
     * @param args capture file, output directory, number of configured users to wait for, and
     *        optionally {@code scenario}: call events from the scripted PBX on the capture's clock
     * @return the exit code: 0 done, 1 a recording failed, 2 the input (file or scenario) is unusable
     */
    @Override
    public Integer apply(String[] args) {
        return run(Path.of(args[0]), Path.of(args[1]), Integer.parseInt(args[2]),
                args.length > 3 && args[3].equals("scenario"), System.out, System.err);
    }

    int run(Path file, Path out, int expectedUsers, boolean fromScenario, PrintStream stdout, PrintStream stderr) {
        importing = true;
        warnings = stderr;
        try {
            return importFile(file, out, expectedUsers, fromScenario, stdout, stderr);
        } finally {
            importing = false;
        }
    }

    private int importFile(Path file, Path out, int expectedUsers, boolean fromScenario, PrintStream stdout,
            PrintStream stderr) {
        for (int i = 0; i < 100 && users.users().size() < expectedUsers; i++) {
            sleep(100); // the launcher's configuration files reach the directory asynchronously
        }
        CapturePacedSource pbx = null;
        if (fromScenario) {
            for (int i = 0; i < 300 && (pbx = scenario) == null; i++) {
                sleep(100); // the TAPI provider restarts with the launcher's configuration
            }
            if (pbx == null) {
                stderr.println("callrec import: the scripted PBX (callrec.tapi, provider=scripted, scriptedClock=capture)"
                        + " did not come up within 30 s: the scenario's call events cannot be played");
                return 1;
            }
            return importFile(file, out, pbx, null, stdout, stderr);
        }
        SipPacketSink passiveSip = sip;
        for (int i = 0; i < 100 && passiveSip == null; i++) {
            sleep(100);
            passiveSip = sip;
        }
        if (passiveSip == null) {
            stderr.println("callrec import: passive SIP (callrec.sip) is not running: call boundaries come from the"
                    + " SIP in the capture file");
            return 1;
        }
        return importFile(file, out, null, passiveSip, stdout, stderr);
    }

    /**
     * @param pbx the scripted PBX on the capture clock (call events from a scenario), or null
     * @param passiveSip passive SIP (call events from the SIP in the file) when pbx is null
     */
    private int importFile(Path file, Path out, CapturePacedSource pbx, SipPacketSink passiveSip, PrintStream stdout,
            PrintStream stderr) {
        MirrorAccess mirror = new MirrorAccess(capture);
        // with a scenario, SIP in the file is RTP's neighbour only: it must not make calls too
        UdpPacketSink forwarder = pbx == null ? MirrorAccess.sipForwarder(passiveSip) : null;
        long[] last = {Long.MIN_VALUE};
        UdpPacketSink both = new UdpPacketSink() {
            @Override
            public void udp(UdpDatagram d) {
                if (forwarder != null) {
                    forwarder.udp(d);
                }
                if (!awaitingUnbind.isEmpty()) {
                    awaitUnbinds(mirror);
                }
                if (!awaitingBind.isEmpty()) {
                    awaitBinds(mirror);
                }
                mirror.udp(d);
            }

            @Override
            public void tick(long nowNanos) {
                mirror.tick(nowNanos);
            }
        };
        FrameDecoder decoder = new FrameDecoder(both, 5000 * NANOS_PER_MS, 4096);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            stderr.println("callrec import: cannot read " + file + ": " + e.getMessage());
            return 2;
        }
        String notReady = awaitRecorderReady();
        if (notReady != null) {
            stderr.println("callrec import: the recorder is not ready to record: " + notReady);
            return 1;
        }
        stdout.println("callrec import: reading " + file + " (" + size / 1024 + " KiB), " + users.users().size()
                + " user(s) configured");
        CaptureFileSummary summary;
        try {
            summary = CaptureFileReader.read(file, (link, buf, off, cap, orig, ts) -> {
                if (pbx != null && ts > last[0]) {
                    paceScenario(pbx, last[0] == Long.MIN_VALUE, ts, stdout);
                }
                decoder.frame(link, buf, off, cap, orig, ts);
                if (ts > last[0]) {
                    last[0] = ts;
                    both.tick(ts);
                }
            }, bytes -> stdout.printf("callrec import: %d%% (%d MiB of %d MiB)%n", size == 0 ? 100 : bytes * 100 / size,
                    bytes >> 20, size >> 20));
        } catch (ScenarioRefused e) {
            stderr.println("callrec import: " + e.getMessage());
            return e.exitCode;
        } catch (CaptureFileException e) {
            stderr.println("callrec import: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            stderr.println("callrec import: cannot read " + file + ": " + e.getMessage());
            return 2;
        }
        stdout.println("callrec import: read " + summary.frames() + " frames (" + summary.format() + "), "
                + decoder.stats());
        if (!summary.problems().isEmpty()) {
            stderr.println("callrec import: " + summary.problemCount() + " problem(s) in the file, first: "
                    + summary.problems().get(0));
        }
        if (pbx != null) {
            if (last[0] == Long.MIN_VALUE) {
                stderr.println("callrec import: " + file + " holds no packets: the scenario has no capture clock to"
                        + " follow");
                return 2;
            }
            try {
                int late = pbx.finish(instant(last[0]));
                if (late > 0) {
                    stdout.println("callrec import: scenario: " + late + " step(s) due after the capture's last packet ("
                            + instant(last[0]) + ") played at their times");
                }
            } catch (IllegalStateException e) {
                stderr.println("callrec import: scenario: " + e.getMessage());
                return 1;
            }
        }
        // calls the file (or the scenario) ends in: their end is the end of the capture, or their last event
        Instant end = last[0] == Long.MIN_VALUE ? Instant.now() : instant(last[0]);
        for (CallEvent e : open.values()) {
            end = e.time().isAfter(end) ? e.time() : end;
        }
        if (recorder instanceof CallEventListener l) {
            for (CallEvent e : new ArrayList<>(open.values())) {
                l.onCallEvent(new CallEvent(e.source(), e.callId(), CallEventType.DISCONNECTED, end, e.extension(),
                        e.parties(), e.origin(), e.direction(), e.dnis(), e.relatedCallIds(), e.media()));
            }
        }
        // let the play-outs drain (one second of capture time) and the recordings close
        long t = last[0] == Long.MIN_VALUE ? 0 : last[0];
        long deadline = System.currentTimeMillis() + CLOSE_WAIT_MILLIS;
        int step = 0;
        while (System.currentTimeMillis() < deadline) {
            both.tick(t + Math.min(step, 50) * 20 * NANOS_PER_MS);
            step++;
            if (step > 50 && recorder.liveCalls().stream().noneMatch(c -> c.recordingId() != null)
                    && allClosed()) {
                break;
            }
            sleep(2);
        }
        return writeIndex(out, stdout, stderr);
    }

    /** Before the packet at ts: the scenario's clock reaches ts (begins at the first packet). */
    private static void paceScenario(CapturePacedSource pbx, boolean first, long ts, PrintStream stdout) {
        try {
            if (first) {
                stdout.println("callrec import: " + pbx.begin(instant(ts)));
            }
            pbx.advanceTo(instant(ts));
        } catch (IllegalArgumentException e) {
            throw new ScenarioRefused(e.getMessage(), 2);
        } catch (IllegalStateException e) {
            throw new ScenarioRefused("scenario: " + e.getMessage(), 1);
        }
    }

    /** Waits until the capture of each ended call stopped (its release is applied with the next packet). */
    private void awaitUnbinds(MirrorAccess mirror) {
        await(mirror, awaitingUnbind, side -> !mirror.capturing(side.substring(side.indexOf('|') + 1),
                side.substring(0, side.indexOf('|'))), "the capture of call(s) %s did not stop within %d ms of their end");
    }

    private void awaitBinds(MirrorAccess mirror) {
        await(mirror, awaitingBind, id -> mirror.capturing(id) && recorded.add(id) || refusedByRecorder(id),
                "the recorder did not start capturing call(s) %s within %d ms of their connect");
    }

    /**
     * Reads on once every pending call is done; meanwhile applies the recorder's queued binds and
     * releases, as the live capture thread does when idle (a call ending meanwhile waits for its
     * release before the recorder goes on).
     */
    private void await(MirrorAccess mirror, Set<String> pending, java.util.function.Predicate<String> done,
            String lateMessage) {
        long deadline = System.currentTimeMillis() + BIND_WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            pending.removeIf(done);
            if (pending.isEmpty()) {
                return;
            }
            mirror.applyPending();
            sleep(1);
        }
        warnings.println("callrec import: " + String.format(Locale.ROOT, lateMessage, pending, BIND_WAIT_MILLIS)
                + "; reading on (see the log)");
        pending.clear();
    }

    /** @return true (and the reason kept) when the recorder decided not to record the call */
    private boolean refusedByRecorder(String callId) {
        for (org.callrec.api.recorder.LiveCall c : recorder.liveCalls()) {
            if (c.callId().equals(callId) && c.recordingId() == null && c.notRecordedReason() != null) {
                refused.put(callId, c.notRecordedReason());
                return true;
            }
        }
        return false;
    }

    /**
     * The catalog is written behind the recordings: wait until it lists every one, closed (every
     * call connected for a recorded user, also those connected after the last packet).
     */
    private boolean allClosed() {
        return catalog.search(new RecordingQuery(null, null, null, null, null, null, null, null, null, 0, 1)).total()
                >= Math.max(recorded.size(), connected.size() - refused.size()) && catalog.search(new RecordingQuery(null, null, null, null, null, null, null,
                        RecordingStatus.RECORDING, null, 0, 1)).total() == 0;
    }

    private int writeIndex(Path out, PrintStream stdout, PrintStream stderr) {
        List<RecordingEntry> entries = new ArrayList<>();
        for (int offset = 0;; offset += 1000) { // the catalog pages by at most 1000
            List<RecordingEntry> page = catalog.search(new RecordingQuery(null, null, null, null, null, null, null, null,
                    null, offset, 1000)).entries();
            entries.addAll(page);
            if (page.size() < 1000) {
                break;
            }
        }
        entries.sort(Comparator.comparing((RecordingEntry e) -> connected.getOrDefault(e.metadata().callId(),
                e.metadata().start())).thenComparing(e -> e.metadata().extension()));
        StringBuilder json = new StringBuilder("[");
        int failed = 0;
        try {
            Files.createDirectories(out);
            for (RecordingEntry e : entries) {
                String name = e.id() + ".wav";
                try (var in = catalog.audio(e.id()).orElse(null)) {
                    if (in != null) {
                        Files.copy(in, out.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    } else {
                        name = null;
                    }
                }
                failed += e.status() == RecordingStatus.FAILED ? 1 : 0;
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("id", e.id());
                o.put("callId", e.metadata().callId());
                o.put("extension", e.metadata().extension());
                o.put("file", name);
                o.put("codecs", e.codecs());
                o.put("channels", e.metadata().channels());
                Instant start = connected.getOrDefault(e.metadata().callId(), e.metadata().start());
                o.put("start", start.toString());
                o.put("durationMs", e.durationMillis());
                long received = e.counters().getOrDefault("packets.received", 0L);
                o.put("packetsReceived", received);
                o.put("packetsLost", e.counters().getOrDefault("packets.lost", 0L));
                String status = e.status().name().toLowerCase(Locale.ROOT);
                String reason = null;
                if (received == 0 && e.status() == RecordingStatus.COMPLETE) {
                    // connected, recorded, but the file holds none of its audio: say so rather than "complete"
                    status = "no-rtp";
                    reason = "no RTP to or from " + users.byExtension(e.metadata().extension())
                            .map(u -> u.endpointIp()).orElse("the user's phone") + " (ext " + e.metadata().extension()
                            + ") in the capture file while the call was connected";
                }
                o.put("status", status);
                if (reason != null) {
                    o.put("reason", reason);
                }
                json.append(json.length() == 1 ? "\n  " : ",\n  ").append(Json.object(o));
                stdout.println("callrec import: recording " + e.id() + " call " + e.metadata().callId() + " ext "
                        + e.metadata().extension() + ": " + e.durationMillis() + " ms, " + e.codecs() + ", " + status);
            }
            json.append(entries.isEmpty() ? "]\n" : "\n]\n");
            // a call connected for a recorded user without any recording must not pass unnoticed
            Set<String> listed = new java.util.HashSet<>();
            entries.forEach(e -> listed.add(e.metadata().callId()));
            for (String id : connected.keySet()) {
                if (!listed.contains(id)) {
                    failed++;
                    stderr.println("callrec import: call " + id + " connected for a recorded user but has no recording: "
                            + refused.getOrDefault(id, "the recorder gave no reason (see the log)"));
                }
            }
            Files.writeString(out.resolve("recordings.json"), json);
        } catch (IOException e) {
            stderr.println("callrec import: cannot write to " + out + ": " + e.getMessage());
            return 1;
        }
        stdout.println("callrec import: " + entries.size() + " recording(s) written to " + out);
        return failed == 0 ? 0 : 1;
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
