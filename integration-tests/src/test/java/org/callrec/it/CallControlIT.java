package org.callrec.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.callrec.api.call.CallControlSource;
import org.callrec.api.call.CallEvent;
import org.callrec.api.call.CallEventListener;
import org.callrec.api.health.HealthReport;
import org.callrec.api.health.HealthStatus;
import org.callrec.api.sip.SipPacketSink;
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
 * Call control in the shipped runtime: on Linux the TAPI source reports its link DOWN with the
 * reason; configured to the scripted PBX it plays a scenario and delivers call events to a
 * whiteboard listener with the link UP; passive SIP takes payloads through SipPacketSink.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CallControlIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return ShippedRuntime.options("call-control");
    }

    @Test
    public void tapiByDefaultSaysWhyItIsDownThenTheScriptedPbxDeliversCalls() throws Exception {
        ServiceReference<CallControlSource> tapi = await("the tapi source", () -> source("tapi"), 20_000);
        assertEquals("DOWN", tapi.getProperty(CallControlSource.LINK_STATUS_PROPERTY));
        assertTrue(String.valueOf(tapi.getProperty("callrec.link.error")).contains("only on Windows"));
        assertNotNull(tapi.getProperty("callrec.link.since"));
        String why = context.getService(tapi).linkState().lastError();
        assertTrue(why, why.contains("only on Windows") && why.contains("provider=scripted"));

        List<CallEvent> events = new CopyOnWriteArrayList<>();
        ServiceRegistration<CallEventListener> l = context.registerService(CallEventListener.class, events::add, null);
        try {
            org.osgi.service.cm.Configuration c = configAdmin.getConfiguration("org.callrec.tapi", "?");
            Dictionary<String, Object> p = new Hashtable<>();
            p.put("provider", "scripted");
            p.put("scriptedScenarios", new String[] {"findme-forward-external"});
            p.put("scriptedLoop", Boolean.FALSE);
            p.put("EnableDnis", Boolean.TRUE);
            c.update(p);
            ServiceReference<CallControlSource> scripted = await("the scripted-pbx source UP",
                    () -> {
                        ServiceReference<CallControlSource> r = source("scripted-pbx");
                        return r != null && "UP".equals(r.getProperty(CallControlSource.LINK_STATUS_PROPERTY)) ? r : null;
                    }, 20_000);
            await("the scenario's three events", () -> events.stream().filter(e -> e.source().equals("scripted-pbx"))
                    .count() >= 3 ? Boolean.TRUE : null, 30_000);
            List<String> lines = events.stream().filter(e -> e.source().equals("scripted-pbx"))
                    .map(e -> e.extension() + "/" + e.callId() + " " + e.type()).collect(Collectors.toList());
            assertEquals(List.of("1001/7901 OFFERING", "1001/7901 DISCONNECTED", "1001/7901 IDLE"), lines);
            assertEquals("+4930999001", events.get(0).dnis());
            HealthReport h = health("call-control scripted-pbx");
            assertEquals(HealthStatus.OK, h.status());
            assertNotNull(scripted);
        } finally {
            l.unregister();
        }
    }

    @Test
    public void passiveSipTakesPayloadsAndPublishesEvents() throws Exception {
        // calls map to users through the directory: both parties are users here
        for (String ext : new String[] {"1001", "1002"}) {
            Dictionary<String, Object> user = new Hashtable<>();
            user.put("name", "User " + ext);
            user.put("extension", ext);
            user.put("licensed", Boolean.TRUE);
            configAdmin.getFactoryConfiguration("org.callrec.core.user", "sip-it-" + ext, "?").update(user);
        }
        await("both users in the directory", () -> {
            org.callrec.api.directory.UserDirectory d = context.getService(
                    context.getServiceReference(org.callrec.api.directory.UserDirectory.class));
            return d.byExtension("1001").isPresent() && d.byExtension("1002").isPresent() ? d : null;
        }, 20_000);
        ServiceReference<SipPacketSink> ref = await("SipPacketSink", () -> context.getServiceReference(SipPacketSink.class),
                20_000);
        List<CallEvent> events = new CopyOnWriteArrayList<>();
        ServiceRegistration<CallEventListener> l = context.registerService(CallEventListener.class, events::add, null);
        try {
            String invite = "INVITE sip:1002@10.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.51;branch=z9hG4bK1\r\n"
                    + "From: <sip:1001@10.0.0.1>;tag=a\r\nTo: <sip:1002@10.0.0.1>\r\nCall-ID: it-1\r\nCSeq: 1 INVITE\r\n"
                    + "Content-Length: 0\r\n\r\n";
            context.getService(ref).onPayload(SipPacketSink.Transport.UDP, new InetSocketAddress("10.0.0.51", 5060),
                    new InetSocketAddress("10.0.0.1", 5060), Instant.now(),
                    ByteBuffer.wrap(invite.getBytes(StandardCharsets.US_ASCII)));
            List<String> lines = events.stream().filter(e -> e.source().equals("sip"))
                    .map(e -> e.extension() + " " + e.type()).collect(Collectors.toList());
            assertEquals(List.of("1001 DIALING", "1002 OFFERING"), lines);
            assertEquals("UP", source("sip").getProperty(CallControlSource.LINK_STATUS_PROPERTY));
        } finally {
            l.unregister();
        }
    }

    private ServiceReference<CallControlSource> source(String id) {
        try {
            Collection<ServiceReference<CallControlSource>> refs = context.getServiceReferences(CallControlSource.class,
                    "(callrec.source=" + id + ")");
            return refs.isEmpty() ? null : refs.iterator().next();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private HealthReport health(String name) {
        return RuntimeServices.health(context, name::equals).orElseThrow(() -> new AssertionError(
                "no health check " + name + " among " + RuntimeServices.healthNames(context)));
    }

    private static <T> T await(String what, Supplier<T> probe, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            T t = probe.get();
            if (t != null) {
                return t;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(what + " not seen within " + timeoutMs + " ms");
    }
}
