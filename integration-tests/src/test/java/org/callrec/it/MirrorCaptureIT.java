package org.callrec.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Dictionary;
import java.util.Hashtable;

import javax.inject.Inject;

import org.callrec.api.health.HealthReport;
import org.callrec.api.health.HealthStatus;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The shipped port-mirror bundle set captures live inside Felix: the wrapped pcap4j on the JNA
 * bundle opens a veth NIC (made here, in a network namespace, as root), takes every UDP datagram
 * tcpreplay sends into its peer, and the "port-mirror capture" health check reports them with
 * libpcap's drop counter.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MirrorCaptureIT {

    private static final int PACKETS = 5000;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return ShippedRuntime.options("mirror-capture");
    }

    @Test
    public void capturesReplayedTrafficAndReportsItInTheHealthCheck() throws Exception {
        Path dir = ShippedRuntime.scratch("callrec-crm");
        Path pcap = dir.resolve("replayed.pcap");
        org.osgi.service.cm.Configuration c = configAdmin.getConfiguration("org.callrec.capture.mirror", "?");
        // closed in reverse: the capture's configuration goes before the NIC it names
        try (MirrorLab lab = MirrorLab.openNetwork(dir, "crm", "tcpreplay"); AutoCloseable config = c::delete) {
            String near = lab.near;
            HealthReport idle = awaitReport(r -> true, 20_000);
            assertEquals(HealthStatus.CRITICAL, idle.status()); // no NIC configured yet
            Dictionary<String, Object> p = new Hashtable<>();
            p.put("captureInterface", near);
            c.update(p);
            awaitReport(r -> r.status() == HealthStatus.OK && r.message().contains(near), 20_000);

            writePcap(pcap);
            MirrorLab.run("ip", "netns", "exec", lab.ns, "tcpreplay", "-q", "--pps=20000", "-i", lab.far,
                    pcap.toString());
            HealthReport done = awaitReport(r -> r.message().contains(PACKETS + " UDP datagrams"), 20_000);
            assertEquals(HealthStatus.OK, done.status());
            assertTrue(done.toString(), done.message().contains("0 dropped in total"));
            assertTrue(done.toString(), done.details().get(0).contains("received " + PACKETS + ","));
        } finally {
            Files.deleteIfExists(pcap);
            Files.deleteIfExists(dir);
        }
    }

    private HealthReport awaitReport(java.util.function.Predicate<HealthReport> until, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        HealthReport last = null;
        while (System.currentTimeMillis() < deadline) {
            Optional<HealthReport> report = RuntimeServices.health(context, "port-mirror capture"::equals);
            if (report.isPresent()) {
                last = report.get();
                if (until.test(last)) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("port-mirror capture health check did not reach the expected state; last: " + last);
    }

    /** PACKETS Ethernet/IPv4/UDP frames with 160-byte payloads, as a classic little-endian pcap. */
    private static void writePcap(Path file) throws IOException {
        int frame = 14 + 20 + 8 + 160;
        ByteBuffer b = ByteBuffer.allocate(24 + PACKETS * (16 + frame)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        for (int i = 0; i < PACKETS; i++) {
            b.order(ByteOrder.LITTLE_ENDIAN).putInt(1_700_000_000).putInt(i).putInt(frame).putInt(frame);
            b.order(ByteOrder.BIG_ENDIAN);
            b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
            b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + 160)).putShort((short) i).putShort((short) 0)
                    .put((byte) 64).put((byte) 17).putShort((short) 0)
                    .put(new byte[] {10, 0, 0, 51}).put(new byte[] {10, 0, 0, 1});
            b.putShort((short) 20000).putShort((short) 30000).putShort((short) (8 + 160)).putShort((short) 0);
            b.put(new byte[160]);
        }
        Files.write(file, b.array());
    }
}
