package org.callrec.capture.mirror.internal.live;

import java.sql.Timestamp;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.callrec.capture.mirror.internal.packet.DecodeStats;
import org.callrec.capture.mirror.internal.packet.FrameDecoder;
import org.callrec.capture.mirror.internal.packet.FrameHandler;
import org.callrec.capture.mirror.internal.packet.LinkType;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.RawPacketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures frames off one NIC with libpcap (through pcap4j) on its own thread and hands the raw
 * bytes on. The handle is non-blocking and drained with pcap_dispatch, backing off briefly when
 * empty: a blocking read with TPACKET_V3 never returns while no packet arrives, so a thread
 * waiting in it could not be stopped. libpcap's drop counters are read on the same thread and
 * published as a snapshot.
 */
public final class LiveCapture implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveCapture.class);
    private static final long IDLE_BACKOFF_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long STATS_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final CaptureSettings settings;
    private final FrameHandler handler;
    private final FrameDecoder decoder;
    private final PcapHandle handle;
    private final int linkType;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile CaptureCounters counters = CaptureCounters.EMPTY;
    private volatile DecodeStats decodeStats = DecodeStats.EMPTY;
    private volatile String failure;
    private long delivered;

    private LiveCapture(CaptureSettings settings, FrameHandler handler, FrameDecoder decoder, PcapHandle handle,
            int linkType) {
        this.settings = settings;
        this.handler = handler;
        this.decoder = decoder;
        this.handle = handle;
        this.linkType = linkType;
        this.thread = new Thread(this::run, "callrec-capture-" + settings.nic());
        this.thread.setDaemon(true);
        this.thread.setPriority(Thread.MAX_PRIORITY);
    }

    /**
     * Opens the NIC and starts capturing.
     *
     * @param settings what to open
     * @param pcapLibrary a configured libpcap path, or empty to find Debian's
     * @param handler takes each frame
     * @param decoder if not null, its reassembly timeouts advance while the NIC is idle (the
     *        handler normally feeds this decoder)
     * @return the running capture
     * @throws LiveCaptureException naming the NIC and what went wrong
     */
    public static LiveCapture open(CaptureSettings settings, String pcapLibrary, FrameHandler handler,
            FrameDecoder decoder) throws LiveCaptureException {
        Objects.requireNonNull(handler, "handler");
        String library = PcapLibrary.configure(pcapLibrary);
        PcapHandle handle;
        try {
            handle = new PcapHandle.Builder(settings.nic())
                    .snaplen(settings.snapLength())
                    .promiscuousMode(settings.promiscuous() ? PromiscuousMode.PROMISCUOUS : PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(settings.readTimeoutMillis())
                    .bufferSize(settings.bufferBytes())
                    .build();
        } catch (PcapNativeException e) {
            throw new LiveCaptureException("capture NIC '" + settings.nic() + "' cannot be opened: " + e.getMessage()
                    + " (live capture needs root or CAP_NET_RAW, and the NIC must exist)", e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new LiveCaptureException("libpcap cannot be loaded from " + library + ": " + e.getMessage()
                    + " (install Debian's libpcap0.8 or set the pcap library path)", e);
        }
        try {
            int dlt = handle.getDlt().value();
            if (!LinkType.supported(dlt)) {
                throw new LiveCaptureException("capture NIC '" + settings.nic() + "' has link type " + dlt
                        + " (" + handle.getDlt().name() + "), which the decoder cannot read");
            }
            if (!settings.filter().isBlank()) {
                handle.setFilter(settings.filter(), BpfCompileMode.OPTIMIZE);
            }
            handle.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
            LiveCapture capture = new LiveCapture(settings, handler, decoder, handle, dlt);
            capture.thread.start();
            LOG.info("Capturing on {} (link type {}, snap length {}, buffer {} KiB, {}, filter '{}', libpcap {})",
                    settings.nic(), dlt, settings.snapLength(), settings.bufferBytes() / 1024,
                    settings.promiscuous() ? "promiscuous" : "not promiscuous", settings.filter(), library);
            return capture;
        } catch (PcapNativeException | NotOpenException e) {
            handle.close();
            throw new LiveCaptureException("capture NIC '" + settings.nic() + "': " + e.getMessage()
                    + (e.getMessage() != null && e.getMessage().contains("syntax") ? " in filter '"
                            + settings.filter() + "'" : ""), e);
        } catch (LiveCaptureException e) {
            handle.close();
            throw e;
        }
    }

    /** @return the NIC */
    public String nic() {
        return settings.nic();
    }

    /** @return libpcap's counters as of the last quarter second */
    public CaptureCounters counters() {
        return counters;
    }

    /** @return the decoder's counters as of the last quarter second */
    public DecodeStats decodeStats() {
        return decodeStats;
    }

    /** @return why the capture thread stopped by itself, or null while it runs */
    public String failure() {
        return failure;
    }

    /** @return true while the capture thread runs */
    public boolean running() {
        return thread.isAlive();
    }

    private void run() {
        RawPacketListener listener = this::frame;
        long nextStats = System.nanoTime() + STATS_EVERY_NANOS;
        try {
            while (running) {
                int n = handle.dispatch(-1, listener);
                long now = System.nanoTime();
                if (now >= nextStats) {
                    if (decoder != null && n > 0) {
                        decoder.expire(System.currentTimeMillis() * 1_000_000L); // time passes under load too
                    }
                    publishCounters();
                    nextStats = now + STATS_EVERY_NANOS;
                }
                if (n <= 0) {
                    if (decoder != null) {
                        decoder.expire(System.currentTimeMillis() * 1_000_000L);
                    }
                    LockSupport.parkNanos(IDLE_BACKOFF_NANOS);
                }
            }
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            failure = "capture on " + settings.nic() + " stopped: " + e;
            LOG.error("Capture on {} stopped", settings.nic(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            publishCounters();
            handle.close();
        }
    }

    private void frame(byte[] packet) {
        Timestamp ts = handle.getTimestamp();
        Integer original = handle.getOriginalLength();
        long nanos = ts == null ? System.currentTimeMillis() * 1_000_000L
                : Math.floorDiv(ts.getTime(), 1000L) * 1_000_000_000L + ts.getNanos();
        delivered++;
        try {
            handler.frame(linkType, packet, 0, packet.length, original == null ? packet.length : original, nanos);
        } catch (RuntimeException e) {
            // a consumer's fault must not stop the capture of every other call
            LOG.error("Frame consumer failed on a {}-byte frame from {}", packet.length, settings.nic(), e);
        }
    }

    private void publishCounters() {
        if (decoder != null) {
            decodeStats = decoder.stats(); // read on the thread that owns the decoder
        }
        try {
            PcapStat s = handle.getStats();
            counters = new CaptureCounters(s.getNumPacketsReceived(), s.getNumPacketsDropped(),
                    s.getNumPacketsDroppedByIf(), delivered);
        } catch (PcapNativeException | NotOpenException e) {
            counters = new CaptureCounters(counters.received(), counters.dropped(), counters.droppedByInterface(),
                    delivered);
        }
    }

    /** Stops the capture thread and closes the NIC; the final counters stay readable. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
