package org.callrec.ha.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.callrec.api.ha.HaEvent;
import org.callrec.api.ha.HaListener;

/**
 * Two HA nodes in one JVM on loopback UDP ports, with a relay between them that the test controls:
 * the primary sends to the relay, the relay forwards to the secondary unless told to drop, and
 * keeps a copy of every packet (for replay attacks).
 */
final class LoopbackPair implements AutoCloseable {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** One node and the events it announced, each with the nanoTime the listener saw it. */
    static final class Node implements AutoCloseable {
        final HaNode ha = new HaNode();
        final List<Timed> events = new CopyOnWriteArrayList<>();

        Node(Map<String, Object> config) {
            HaListener recorder = e -> events.add(new Timed(e, System.nanoTime()));
            ha.listeners = List.of(recorder);
            ha.configure(config);
        }

        /** @return the first event of this kind seen at or after {@code afterNanos}, or null */
        Timed first(HaEvent.Kind kind, long afterNanos) {
            for (Timed t : events) {
                if (t.event().kind() == kind && t.nanos() >= afterNanos) {
                    return t;
                }
            }
            return null;
        }

        @Override
        public void close() {
            ha.deactivate();
        }
    }

    record Timed(HaEvent event, long nanos) {
    }

    final int primarySendPort = freePort();
    final int secondaryReceivePort = freePort();
    final int intervalMs;
    final String primarySecret;
    final String secondarySecret;
    final Relay relay;
    Node secondary;
    Node primary;

    LoopbackPair(int intervalMs, String primarySecret, String secondarySecret) throws SocketException {
        this.intervalMs = intervalMs;
        this.primarySecret = primarySecret;
        this.secondarySecret = secondarySecret;
        this.relay = new Relay(secondaryReceivePort);
    }

    LoopbackPair start() {
        secondary = new Node(secondaryConfig());
        startPrimary();
        return this;
    }

    void startPrimary() {
        primary = new Node(primaryConfig());
    }

    void stopPrimary() {
        primary.close();
    }

    Map<String, Object> primaryConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put("role", "PRIMARY");
        c.put("nodeId", "rec-a");
        c.put("peerAddress", LOOPBACK.getHostAddress());
        c.put("bindAddress", LOOPBACK.getHostAddress());
        c.put("TapiWaveHeartbeatSendPort", primarySendPort);
        // the primary is told the relay's port as the secondary's receive port
        c.put("TapiWaveHeartbeatReceivePort", relay.port());
        c.put("TapiWaveHeartbeatTimer", intervalMs);
        c.put("heartbeatSecret", primarySecret);
        return c;
    }

    Map<String, Object> secondaryConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put("role", "SECONDARY");
        c.put("nodeId", "rec-b");
        c.put("bindAddress", LOOPBACK.getHostAddress());
        c.put("TapiWaveHeartbeatSendPort", primarySendPort);
        c.put("TapiWaveHeartbeatReceivePort", secondaryReceivePort);
        c.put("TapiWaveHeartbeatTimer", intervalMs);
        c.put("heartbeatSecret", secondarySecret);
        c.put("heartbeatClockSkew", 1000);
        return c;
    }

    static int freePort() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return s.getLocalPort();
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean await(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(2);
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() {
        if (primary != null) {
            primary.close();
        }
        if (secondary != null) {
            secondary.close();
        }
        relay.close();
    }

    /** Forwards datagrams to the secondary's port unless dropping; keeps every one it received. */
    static final class Relay implements AutoCloseable {
        private final DatagramSocket in = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        private final InetSocketAddress target;
        private final List<byte[]> seen = new ArrayList<>();
        private final Thread thread;
        volatile boolean dropping;
        volatile long forwarded;
        volatile long dropped;

        Relay(int targetPort) throws SocketException {
            this.target = new InetSocketAddress(LOOPBACK, targetPort);
            this.thread = new Thread(this::run, "test-relay");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return in.getLocalPort();
        }

        private void run() {
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try (DatagramSocket out = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
                while (!in.isClosed()) {
                    p.setLength(buf.length);
                    in.receive(p);
                    byte[] copy = java.util.Arrays.copyOf(buf, p.getLength());
                    synchronized (seen) {
                        seen.add(copy);
                    }
                    if (dropping) {
                        dropped++;
                    } else {
                        out.send(new DatagramPacket(copy, copy.length, target));
                        forwarded++;
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        /** @return copies of every packet received so far, oldest first */
        List<byte[]> seen() {
            synchronized (seen) {
                return new ArrayList<>(seen);
            }
        }

        @Override
        public void close() {
            in.close();
        }
    }
}
