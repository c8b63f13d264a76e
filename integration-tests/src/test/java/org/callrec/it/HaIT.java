package org.callrec.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.inject.Inject;

import org.callrec.api.ha.HaEvent;
import org.callrec.api.ha.HaListener;
import org.callrec.api.ha.HaRole;
import org.callrec.api.ha.HaState;
import org.callrec.api.ha.HighAvailability;
import org.callrec.api.health.HealthCheck;
import org.callrec.api.health.HealthReport;
import org.callrec.api.health.HealthStatus;
import org.callrec.api.mode.IntegrationMode;
import org.callrec.api.mode.ModeController;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * callrec.ha in the shipped runtime, configured through ConfigAdmin as a secondary. The test plays
 * the primary with its own encoding of the heartbeat format as README.md specifies it (not the
 * bundle's code), and listens through the HaListener whiteboard and the HealthCheck service.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HaIT {

    private static final String SECRET = "integration test secret, 32 bytes";
    private static final int INTERVAL_MS = 100;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return ShippedRuntime.options("ha");
    }

    @Test
    public void secondaryHearsTheSpecifiedFormatTakesOverAndReportsInvalidPorts() throws Exception {
        update(ModeController.PID, "mode", IntegrationMode.SHORETEL_TAPI_WAVE.id());
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = probe.getLocalPort();
        }
        List<HaEvent> events = new CopyOnWriteArrayList<>();
        ServiceRegistration<HaListener> reg = context.registerService(HaListener.class, events::add, null);
        try {
            Dictionary<String, Object> ha = new Hashtable<>();
            ha.put("role", "SECONDARY");
            ha.put("nodeId", "rec-b");
            ha.put("bindAddress", "127.0.0.1");
            ha.put("TapiWaveHeartbeatReceivePort", port);
            ha.put("TapiWaveHeartbeatTimer", INTERVAL_MS);
            ha.put("heartbeatSecret", SECRET);
            configAdmin.getConfiguration("org.callrec.ha", "?").update(ha);
            assertTrue("no secondary HighAvailability service", await(() -> {
                HighAvailability h = service(HighAvailability.class);
                return h != null && h.state().role() == HaRole.SECONDARY && h.state().nodeId().equals("rec-b");
            }, 10_000));

            long epoch = System.currentTimeMillis();
            byte[] last = null;
            try (DatagramSocket primary = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
                long sentAt = 0;
                for (int seq = 1; seq <= 15; seq++) {
                    last = heartbeat("rec-a", epoch, seq, System.currentTimeMillis());
                    primary.send(new DatagramPacket(last, last.length, to));
                    sentAt = System.nanoTime();
                    Thread.sleep(INTERVAL_MS / 2);
                }
                HaState heard = service(HighAvailability.class).state();
                assertNotNull("the specified format was not accepted: " + health(), heard.lastValidHeartbeat());
                assertTrue(!heard.active());
                long rejectedBefore = heard.rejectedHeartbeats();
                primary.send(new DatagramPacket(last, last.length, to)); // replay
                assertTrue(await(() -> service(HighAvailability.class).state().rejectedHeartbeats() == rejectedBefore + 1,
                        2000));

                long silentSince = sentAt;
                assertTrue("no TOOK_OVER on the whiteboard", await(
                        () -> events.stream().anyMatch(e -> e.kind() == HaEvent.Kind.TOOK_OVER), 3000));
                long ms = (System.nanoTime() - silentSince) / 1_000_000;
                assertTrue("took over " + ms + " ms after the last heartbeat", ms <= INTERVAL_MS + 250 + 100);
                assertTrue(service(HighAvailability.class).isActive());
                assertEquals(HealthStatus.WARNING, health().status());
            }

            ha.put("TapiWaveHeartbeatReceivePort", "70000");
            configAdmin.getConfiguration("org.callrec.ha", "?").update(ha);
            assertTrue(await(() -> health().status() == HealthStatus.CRITICAL, 5000));
            assertTrue(health().details().toString(), health().details().contains(
                    "TapiWaveHeartbeatReceivePort: value '70000' is not valid; allowed: a port number 1-65535"));
            assertTrue("an unconfigurable node records", service(HighAvailability.class).isActive());
        } finally {
            reg.unregister();
        }
    }

    /** README.md's heartbeat format, written independently of the bundle. */
    private static byte[] heartbeat(String nodeId, long epoch, long seq, long timestampMs) throws Exception {
        byte[] id = nodeId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + 3 + id.length + 24 + 32);
        b.put("CRHB".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) HaRole.PRIMARY.ordinal())
                .put((byte) id.length).put(id).putLong(epoch).putLong(seq).putLong(timestampMs);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update(b.array(), 0, b.position());
        b.put(mac.doFinal());
        return b.array();
    }

    private HealthReport health() {
        return RuntimeServices.health(context, "high availability"::equals)
                .orElseThrow(() -> new AssertionError("no high availability health check"));
    }

    private <T> T service(Class<T> type) {
        ServiceReference<T> r = context.getServiceReference(type);
        return r == null ? null : context.getService(r);
    }

    private void update(String pid, String key, Object value) throws Exception {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put(key, value);
        configAdmin.getConfiguration(pid, "?").update(p);
    }

    private static boolean await(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return true;
                }
            } catch (RuntimeException | AssertionError e) {
                // service in transition (reconfiguration): try again
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }
}
