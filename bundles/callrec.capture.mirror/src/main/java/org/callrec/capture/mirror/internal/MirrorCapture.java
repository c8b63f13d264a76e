package org.callrec.capture.mirror.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.callrec.api.call.CallEvent;
import org.callrec.api.call.MediaHint;
import org.callrec.api.capture.AudioCapture;
import org.callrec.api.capture.CaptureException;
import org.callrec.api.capture.CaptureRequest;
import org.callrec.api.capture.CaptureSession;
import org.callrec.api.directory.User;
import org.callrec.api.health.Diagnosis;
import org.callrec.api.health.Diagnostics;
import org.callrec.api.health.HealthCheck;
import org.callrec.api.health.HealthReport;
import org.callrec.api.health.HealthStatus;
import org.callrec.api.directory.UserDirectory;
import org.callrec.api.mode.IntegrationMode;
import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.rtp.PlayoutFactory;
import org.callrec.capture.mirror.internal.correlation.CallBinding;
import org.callrec.capture.mirror.internal.correlation.RtpCorrelator;
import org.callrec.capture.mirror.internal.packet.UdpDatagram;
import org.callrec.capture.mirror.internal.packet.UdpPacketSink;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Port-mirror capture. Registered only while the ShoreTel TAPI mode is active. Takes the UDP
 * datagrams of the {@link MirrorPortSniffer} and records a call by binding the RTP to or from the
 * user's phone (narrowed to the user's SDP port when a hint gives it) to the call, replaying what
 * arrived up to the look-back window before it connected. Shares the sniffer's configuration,
 * which {@link MirrorPortSniffer} describes to the console.
 */
@Component(service = {AudioCapture.class, UdpPacketSink.class, Diagnostics.class, HealthCheck.class}, immediate = true,
        configurationPid = "org.callrec.capture.mirror",
        property = IntegrationMode.SERVICE_PROPERTY + "=shoretel-tapi")
public final class MirrorCapture implements AudioCapture, UdpPacketSink, Diagnostics, HealthCheck {

    static final String CHECK = "port-mirror calls";

    /** Codecs the PBX uses for recorded sites (MISSION.md), when no SDP says otherwise. */
    static final List<PayloadFormat> STATIC_FORMATS = List.of(PayloadFormat.PCMU, PayloadFormat.PCMA,
            PayloadFormat.G729, PayloadFormat.CN);
    private static final long WATCH_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);

    // optional: the capture stays registered in its mode and explains a refusal while callrec.rtp
    // offers no play-out
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PlayoutFactory playouts;

    @Reference
    private UserDirectory users;

    private RtpCorrelator correlator;
    private SilentCallWatch silentCalls = new SilentCallWatch(Duration.ofSeconds(5));
    private volatile String nic = "";
    private ScheduledExecutorService watchdog;
    private long lastWatchRefresh = Long.MIN_VALUE;
    // calls whose RTP binding is queued or active: the offline import waits for a bind before it
    // reads on, since it reads far faster than the recorder reacts to a call event
    // call id -> extensions whose side is captured (an internal call between two recorded users has one id)
    private final Map<String, Set<String>> capturing = new ConcurrentHashMap<>();

    /** For DS. */
    public MirrorCapture() {
    }

    /** For tests: the references and settings DS would give. */
    MirrorCapture(PlayoutFactory playouts, UserDirectory users, int lookBackMillis, int lookBackPackets, String nic) {
        this.playouts = playouts;
        this.nic = nic;
        this.users = users;
        start(lookBackMillis, lookBackPackets);
    }

    @Activate
    void activate(MirrorConfig config) {
        nic = config.captureInterface();
        silentCalls = new SilentCallWatch(Duration.ofSeconds(Math.max(1, config.noRtpDiagnosisSeconds())));
        start(config.lookBackMillis(), config.lookBackPackets());
        // diagnoses are logged when they arise, not only when someone asks
        watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "callrec-mirror-diagnostics");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(this::current, 1, 1, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
    }

    @Override
    public List<Diagnosis> current() {
        return silentCalls.diagnose(nic, Instant.now());
    }

    @Override
    public HealthReport check() {
        List<Diagnosis> d = current();
        if (d.isEmpty()) {
            return new HealthReport(CHECK, HealthStatus.OK, "every connected recorded call has RTP", List.of(),
                    Instant.now());
        }
        List<String> details = new ArrayList<>();
        for (Diagnosis x : d) {
            details.add(x.message() + "; likely: " + String.join("; or ", x.likelyCauses()));
        }
        return new HealthReport(CHECK, HealthStatus.WARNING, d.size() + " recorded call(s) without RTP", details,
                Instant.now());
    }

    private void start(int lookBackMillis, int lookBackPackets) {
        correlator = new RtpCorrelator(TimeUnit.MILLISECONDS.toNanos(Math.max(2000, lookBackMillis)),
                Math.max(1000, lookBackPackets));
        refreshWatchedPhones();
    }

    @Override
    public IntegrationMode mode() {
        return IntegrationMode.SHORETEL_TAPI;
    }

    @Override
    public CaptureSession start(CaptureRequest request) throws CaptureException {
        PlayoutFactory playout = playouts;
        if (playout == null) {
            throw new CaptureException("RTP play-out (callrec.rtp PlayoutFactory) is not available: port-mirror"
                    + " capture cannot decode the call's audio");
        }
        User user = request.user();
        if (user.endpointIp() == null || user.endpointIp().isBlank()) {
            throw new CaptureException("user " + user.extension() + " has no endpoint IP address: port-mirror"
                    + " capture finds a call's RTP by the phone's address");
        }
        byte[] phone;
        try {
            phone = InetAddress.getByName(user.endpointIp().strip()).getAddress();
        } catch (UnknownHostException e) {
            throw new CaptureException("user " + user.extension() + ": endpoint IP '" + user.endpointIp()
                    + "' is not an IP address", e);
        }
        CallEvent call = request.call();
        int userPort = 0;
        List<PayloadFormat> formats = new ArrayList<>();
        for (MediaHint hint : call.media()) {
            if (hint.local() && hint.port() > 0) {
                userPort = hint.port();
            }
            hint.formats().stream().filter(f -> !formats.contains(f)).forEach(formats::add);
        }
        MirrorSession session = new MirrorSession(correlator, playout, request.recording(),
                formats.isEmpty() ? STATIC_FORMATS : formats);
        silentCalls.add(new SilentCallWatch.Watched(call.callId(), call.extension(), user.endpointIp().strip(),
                call.time(), session::packets));
        session.onStop(() -> {
            silentCalls.remove(call.callId(), call.extension());
            capturing.computeIfPresent(call.callId(), (id, sides) -> {
                sides.remove(call.extension());
                return sides.isEmpty() ? null : sides;
            });
        });
        correlator.bind(new CallBinding(call.callId(), phone, userPort, epochNanos(call.time()), session));
        capturing.computeIfAbsent(call.callId(), id -> ConcurrentHashMap.newKeySet()).add(call.extension());
        if (!correlator.watches(phone)) {
            refreshWatchedPhones(); // a user added since the last refresh
        }
        return session;
    }

    /** Applies the binds and releases queued by the recorder; only the thread feeding packets may call it. */
    void applyPending() {
        correlator.applyPending();
    }

    /**
     * @param callId a call
     * @return true while the call's RTP is bound (or about to be) to a recording
     */
    boolean capturing(String callId) {
        return capturing.containsKey(callId);
    }

    boolean capturing(String callId, String extension) {
        Set<String> sides = capturing.get(callId);
        return sides != null && sides.contains(extension);
    }

    @Override
    public void udp(UdpDatagram datagram) {
        correlator.udp(datagram);
    }

    @Override
    public void tick(long nowNanos) {
        correlator.tick(nowNanos);
        if (nowNanos - lastWatchRefresh > WATCH_REFRESH_NANOS) {
            lastWatchRefresh = nowNanos;
            refreshWatchedPhones();
        }
    }

    /** Keeps the look-back buffer to the phones of users this server records. */
    private void refreshWatchedPhones() {
        List<byte[]> phones = new ArrayList<>();
        for (User u : users.users()) {
            if (u.licensed() && u.endpointIp() != null && !u.endpointIp().isBlank()) {
                try {
                    phones.add(InetAddress.getByName(u.endpointIp().strip()).getAddress());
                } catch (UnknownHostException e) {
                    // the directory validates addresses; an invalid one simply is not watched
                }
            }
        }
        correlator.watch(phones);
    }

    private static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
