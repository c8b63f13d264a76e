package org.callrec.capture.mirror.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.callrec.api.health.HealthCheck;
import org.callrec.api.health.HealthReport;
import org.callrec.api.health.HealthStatus;
import org.callrec.capture.mirror.internal.live.CaptureCounters;
import org.callrec.capture.mirror.internal.live.CaptureSettings;
import org.callrec.capture.mirror.internal.live.LiveCapture;
import org.callrec.capture.mirror.internal.live.LiveCaptureException;
import org.callrec.capture.mirror.internal.packet.DecodeStats;
import org.callrec.capture.mirror.internal.packet.FrameDecoder;
import org.callrec.capture.mirror.internal.packet.UdpDatagram;
import org.callrec.capture.mirror.internal.packet.UdpPacketSink;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sniffs the capture NIC while the ShoreTel TAPI mode is active and hands every UDP datagram to
 * the {@link UdpPacketSink} services of this bundle (RTP correlation, passive SIP). A NIC that
 * cannot be opened is retried, and the reason is shown by the health check, which also shows
 * libpcap's drop counters: drops mean lost audio.
 */
@Component(service = HealthCheck.class, immediate = true, configurationPid = "org.callrec.capture.mirror")
@Designate(ocd = MirrorConfig.class)
public final class MirrorPortSniffer implements HealthCheck {

    static final String CHECK = "port-mirror capture";
    private static final Logger LOG = LoggerFactory.getLogger(MirrorPortSniffer.class);
    private static final long RETRY_MILLIS = 10_000;
    private static final UdpPacketSink[] NO_SINKS = new UdpPacketSink[0];

    private volatile UdpPacketSink[] sinks = NO_SINKS;
    private final Object lock = new Object();
    private LiveCapture capture;
    private Thread opener;
    private volatile String problem;
    private volatile String nic = "";
    private long lastDropped;
    private long lastIfDropped;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSink(UdpPacketSink sink) {
        synchronized (lock) {
            UdpPacketSink[] next = Arrays.copyOf(sinks, sinks.length + 1);
            next[next.length - 1] = sink;
            sinks = next;
        }
    }

    void removeSink(UdpPacketSink sink) {
        synchronized (lock) {
            sinks = Arrays.stream(sinks).filter(s -> s != sink).toArray(UdpPacketSink[]::new);
        }
    }

    @Activate
    @Modified
    void configure(MirrorConfig config) {
        stop();
        nic = config.captureInterface().trim();
        if (nic.isEmpty()) {
            problem = "no capture NIC configured (configuration org.callrec.capture.mirror, captureInterface)";
            LOG.warn("Port-mirror capture idle: {}", problem);
            return;
        }
        CaptureSettings settings;
        try {
            settings = new CaptureSettings(nic, config.promiscuous(), config.snapLength(),
                    (int) Math.min(Integer.MAX_VALUE, config.bufferMiB() * 1024L * 1024L), config.readTimeoutMillis(),
                    config.captureFilter());
        } catch (IllegalArgumentException e) {
            problem = "configuration org.callrec.capture.mirror rejected: " + e.getMessage();
            LOG.error("Port-mirror capture idle: {}", problem);
            return;
        }
        FrameDecoder decoder = new FrameDecoder(new Dispatcher(),
                TimeUnit.MILLISECONDS.toNanos(Math.max(100, config.reassemblyTimeoutMillis())),
                Math.max(1, config.maxReassemblies()));
        Thread t = new Thread(() -> openUntilStopped(settings, config.pcapLibrary(), decoder),
                "callrec-capture-open-" + nic);
        t.setDaemon(true);
        synchronized (lock) {
            opener = t;
        }
        t.start();
    }

    @Deactivate
    void stop() {
        Thread t;
        LiveCapture c;
        synchronized (lock) {
            t = opener;
            opener = null;
            c = capture;
            capture = null;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (lock) {
            if (capture != null) { // opened while we waited
                c = capture;
                capture = null;
            }
        }
        if (c != null) {
            c.close();
            LOG.info("Capture on {} stopped: {}; {}", c.nic(), c.counters(), c.decodeStats());
        }
    }

    private void openUntilStopped(CaptureSettings settings, String library, FrameDecoder decoder) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                LiveCapture c = LiveCapture.open(settings, library, decoder::frame, decoder);
                synchronized (lock) {
                    if (opener != Thread.currentThread()) {
                        c.close(); // reconfigured meanwhile
                        return;
                    }
                    capture = c;
                }
                problem = null;
                return;
            } catch (LiveCaptureException e) {
                if (!e.getMessage().equals(problem)) {
                    LOG.error("Port-mirror capture: {}; retrying every {} s", e.getMessage(), RETRY_MILLIS / 1000);
                }
                problem = e.getMessage();
            }
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Hands each datagram and tick to every sink; one sink's failure does not stop the others. */
    private final class Dispatcher implements UdpPacketSink {
        @Override
        public void udp(UdpDatagram datagram) {
            for (UdpPacketSink sink : sinks) {
                try {
                    sink.udp(datagram);
                } catch (RuntimeException e) {
                    LOG.error("UDP consumer {} failed on {}", sink, datagram, e);
                }
            }
        }

        @Override
        public void tick(long nowNanos) {
            for (UdpPacketSink sink : sinks) {
                try {
                    sink.tick(nowNanos);
                } catch (RuntimeException e) {
                    LOG.error("UDP consumer {} failed on tick", sink, e);
                }
            }
        }
    }

    @Override
    public HealthReport check() {
        LiveCapture c;
        synchronized (lock) {
            c = capture;
        }
        String p = problem;
        if (c == null) {
            return new HealthReport(CHECK, HealthStatus.CRITICAL,
                    p != null ? p : "opening capture NIC '" + nic + "'", List.of(), Instant.now());
        }
        CaptureCounters counters = c.counters();
        DecodeStats decoded = c.decodeStats();
        List<String> details = new ArrayList<>();
        details.add("libpcap: received " + counters.received() + ", dropped (buffer full) " + counters.dropped()
                + ", dropped by interface " + counters.droppedByInterface());
        details.add("decoder: " + decoded);
        if (c.failure() != null) {
            return new HealthReport(CHECK, HealthStatus.CRITICAL, c.failure(), details, Instant.now());
        }
        long newDrops;
        synchronized (lock) {
            newDrops = counters.dropped() - lastDropped + counters.droppedByInterface() - lastIfDropped;
            lastDropped = counters.dropped();
            lastIfDropped = counters.droppedByInterface();
        }
        if (newDrops > 0) {
            return new HealthReport(CHECK, HealthStatus.WARNING, "capture on " + c.nic() + " dropped " + newDrops
                    + " packets since the last check: audio was lost (raise the kernel buffer, check CPU load)",
                    details, Instant.now());
        }
        return new HealthReport(CHECK, HealthStatus.OK, "capturing on " + c.nic() + ": " + decoded.udpDelivered()
                + " UDP datagrams, " + counters.dropped() + " dropped in total", details, Instant.now());
    }
}
