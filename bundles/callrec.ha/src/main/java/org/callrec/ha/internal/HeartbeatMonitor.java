package org.callrec.ha.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secondary's side: binds UDP {@code TapiWaveHeartbeatReceivePort} (on {@code bindAddress}, or
 * all addresses) and sends nothing. The receive timeout is the time left until the takeover deadline,
 * so takeover happens on time without a separate timer thread: when the deadline passes without a
 * valid heartbeat, {@link Failover#primaryLost} is called.
 */
final class HeartbeatMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatMonitor.class);
    /** One log line per rejection reason per this period: a flood must not flood the log. */
    private static final long REJECTION_LOG_PERIOD_NS = TimeUnit.SECONDS.toNanos(10);

    private final HaSettings settings;
    private final Failover failover;
    private final HeartbeatVerifier verifier;
    private final HeartbeatCodec codec;
    private final DatagramSocket socket;
    private final Thread thread;
    private final Map<HeartbeatRejection, Long> lastLogged = new EnumMap<>(HeartbeatRejection.class);
    private volatile boolean running = true;

    /**
     * Binds the receive port.
     *
     * @throws SocketException naming the key and port when the port cannot be bound
     */
    HeartbeatMonitor(HaSettings settings, Failover failover, HeartbeatVerifier verifier) throws SocketException {
        this.settings = settings;
        this.failover = failover;
        this.verifier = verifier;
        this.codec = new HeartbeatCodec(settings.secret());
        this.socket = bind(settings.bindAddress(), HeartbeatSetting.RECEIVE_PORT, settings.receivePort());
        this.thread = new Thread(this::receive, "callrec-ha-heartbeat-receive");
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
    }

    static DatagramSocket bind(String address, HeartbeatSetting key, int port) throws SocketException {
        try {
            InetSocketAddress local = address.isEmpty() ? new InetSocketAddress(port)
                    : new InetSocketAddress(InetAddress.getByName(address), port);
            return new DatagramSocket(local);
        } catch (IOException e) {
            SocketException named = new SocketException("cannot bind UDP " + key.key() + "=" + port + " on "
                    + (address.isEmpty() ? "all addresses" : address) + ": " + e.getMessage());
            named.initCause(e);
            throw named;
        }
    }

    void start() {
        thread.start();
    }

    private void receive() {
        long timeoutNs = TimeUnit.MILLISECONDS.toNanos(settings.takeoverTimeoutMs());
        long deadline = System.nanoTime() + timeoutNs;
        byte[] buf = new byte[HeartbeatCodec.MAX_PACKET + 1];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        while (running) {
            try {
                long leftNs = deadline - System.nanoTime();
                if (leftNs <= 0) {
                    failover.primaryLost("no valid heartbeat for " + settings.takeoverTimeoutMs() + " ms (interval "
                            + settings.intervalMs() + " ms) on UDP port " + settings.receivePort()
                            + "; this node records now");
                    deadline = System.nanoTime() + timeoutNs;
                    continue;
                }
                socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNs + 999_999)));
                packet.setLength(buf.length);
                socket.receive(packet);
                HeartbeatRejection r = verifier.verify(codec.decode(buf, packet.getOffset(), packet.getLength()),
                        System.currentTimeMillis());
                String from = packet.getAddress().getHostAddress() + ":" + packet.getPort();
                if (r == null) {
                    deadline = System.nanoTime() + timeoutNs;
                    failover.primaryHeard(from);
                } else {
                    logRejection(r, from);
                }
            } catch (SocketTimeoutException e) {
                // deadline reached: checked at the top of the loop
            } catch (IOException e) {
                if (running) {
                    LOG.error("org.callrec.ha: heartbeat receive failed on UDP port {}: {}", settings.receivePort(),
                            e.toString());
                    failover.primaryLost("heartbeat socket failed (" + e.getMessage() + "); this node records now");
                    running = false;
                }
            }
        }
    }

    private void logRejection(HeartbeatRejection r, String from) {
        long now = System.nanoTime();
        Long last = lastLogged.get(r);
        if (last == null || now - last > REJECTION_LOG_PERIOD_NS) {
            lastLogged.put(r, now);
            LOG.warn("org.callrec.ha: heartbeat from {} rejected: {} ({} rejected for this reason so far)", from,
                    r.description(), verifier.rejected(r));
        }
    }

    @Override
    public void close() {
        running = false;
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
