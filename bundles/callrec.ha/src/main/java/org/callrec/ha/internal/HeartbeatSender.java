package org.callrec.ha.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.callrec.api.ha.HaRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's side: binds UDP {@code TapiWaveHeartbeatSendPort} (on {@code bindAddress}, or all
 * addresses) as the source port and sends one heartbeat every {@code TapiWaveHeartbeatTimer} ms to
 * {@code peerAddress}:{@code TapiWaveHeartbeatReceivePort}. It receives nothing.
 */
final class HeartbeatSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatSender.class);
    /** Epochs increase even when two senders start in the same millisecond (reconfiguration, tests). */
    private static final AtomicLong LAST_EPOCH = new AtomicLong();

    private final HaSettings settings;
    private final DatagramSocket socket;
    private final InetSocketAddress target;
    private final HeartbeatCodec codec;
    private final long epoch;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final ScheduledExecutorService timer;

    /**
     * Binds the send port.
     *
     * @throws SocketException naming the key and port when the port cannot be bound
     */
    HeartbeatSender(HaSettings settings) throws SocketException {
        this.settings = settings;
        this.socket = HeartbeatMonitor.bind(settings.bindAddress(), HeartbeatSetting.SEND_PORT, settings.sendPort());
        this.target = new InetSocketAddress(settings.peerAddress(), settings.receivePort());
        this.codec = new HeartbeatCodec(settings.secret());
        this.epoch = LAST_EPOCH.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "callrec-ha-heartbeat-send");
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY);
            return t;
        });
    }

    void start() {
        timer.scheduleAtFixedRate(this::sendOne, 0, settings.intervalMs(), TimeUnit.MILLISECONDS);
    }

    private void sendOne() {
        byte[] data = codec.encode(new Heartbeat(settings.nodeId(), HaRole.PRIMARY, epoch,
                sequence.incrementAndGet(), System.currentTimeMillis()));
        try {
            if (target.isUnresolved()) {
                throw new IOException("cannot resolve peerAddress '" + settings.peerAddress() + "'");
            }
            socket.send(new DatagramPacket(data, data.length, target));
        } catch (IOException e) {
            // the secondary will take over: say why, but only on the first failure of a run of them
            if (sendFailures.getAndIncrement() == 0 || !socket.isClosed() && sendFailures.get() % 100 == 0) {
                LOG.error("org.callrec.ha: heartbeat to {} failed ({} failures so far): {}", target,
                        sendFailures.get(), e.toString());
            }
        }
    }

    String target() {
        return target.getHostString() + ":" + target.getPort();
    }

    long sent() {
        return sequence.get();
    }

    long sendFailures() {
        return sendFailures.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        socket.close();
    }
}
