package org.callrec.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.inject.Inject;

import org.callrec.api.capture.AudioCapture;
import org.callrec.api.ha.HighAvailability;
import org.callrec.api.mode.IntegrationMode;
import org.callrec.api.mode.ModeController;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Switches the integration mode through ConfigAdmin back and forth and checks, after each switch,
 * exactly which mode bundles are ACTIVE and which mode services are registered.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ModeSwitchIT {

    private static final Set<String> MIRROR = Set.of("callrec.tapi", "callrec.sip", "callrec.rtp", "callrec.storage", "callrec.capture.mirror");
    private static final Set<String> WAVE = Set.of("callrec.tapi", "callrec.sip", "callrec.rtp", "callrec.storage", "callrec.capture.wave", "callrec.ha");
    private static final Set<String> ALL_MODE_BUNDLES = Set.of("callrec.tapi", "callrec.sip", "callrec.rtp",
            "callrec.storage", "callrec.capture.mirror", "callrec.capture.wave", "callrec.ha");

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return ShippedRuntime.options("mode-switch");
    }

    @Test
    public void startsInPortMirrorModeWithOnlyItsBundles() throws Exception {
        awaitMode(IntegrationMode.SHORETEL_TAPI, 10_000);
    }

    @Test
    public void switchesTwentyTimesEachWithinOneSecond() throws Exception {
        awaitMode(IntegrationMode.SHORETEL_TAPI, 10_000);
        long worst = 0;
        for (int i = 0; i < 20; i++) {
            IntegrationMode target = i % 2 == 0 ? IntegrationMode.SHORETEL_TAPI_WAVE : IntegrationMode.SHORETEL_TAPI;
            org.osgi.service.cm.Configuration c = configAdmin.getConfiguration(ModeController.PID, "?");
            Dictionary<String, Object> p = new Hashtable<>();
            p.put("mode", target.id());
            long t0 = System.nanoTime();
            c.update(p);
            long ms = awaitMode(target, 1_000);
            worst = Math.max(worst, ms);
            // looked up each time: creating the first configuration may reactivate the component
            ModeController controller = controller();
            assertEquals(target, controller.mode());
            assertTrue("switch " + i + " reported problems: " + controller.lastSwitch().get().problems(),
                    controller.lastSwitch().get().problems().isEmpty());
            assertEquals(target, controller.lastSwitch().get().to());
            System.out.printf("switch %2d -> %-18s settled in %4d ms (controller: %d ms, started %s, stopped %s)%n", i,
                    target.id(), (System.nanoTime() - t0) / 1_000_000, controller.lastSwitch().get().millis(),
                    controller.lastSwitch().get().started(), controller.lastSwitch().get().stopped());
        }
        System.out.println("worst switch: " + worst + " ms");
    }

    @Test
    public void unknownModeIsRefusedAndTheActiveSetStays() throws Exception {
        IntegrationMode before = controller().mode();
        awaitMode(before, 10_000);
        org.osgi.service.cm.Configuration c = configAdmin.getConfiguration(ModeController.PID, "?");
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("mode", "shoretel-sip");
        c.update(p);
        Thread.sleep(500);
        assertEquals(before, controller().mode());
        awaitMode(before, 1_000);
    }

    private ModeController controller() {
        return context.getService(context.getServiceReference(ModeController.class));
    }

    /** Waits until exactly the mode's bundles are ACTIVE and its services registered; returns ms waited. */
    private long awaitMode(IntegrationMode mode, long timeoutMs) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + timeoutMs * 1_000_000;
        String last;
        do {
            last = check(mode);
            if (last == null) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("mode " + mode.id() + " not reached within " + timeoutMs + " ms: " + last);
    }

    /** @return null when the runtime is exactly in the mode, else what differs */
    private String check(IntegrationMode mode) throws Exception {
        Set<String> expected = mode == IntegrationMode.SHORETEL_TAPI ? MIRROR : WAVE;
        Map<String, Integer> states = new TreeMap<>();
        Set<String> active = new TreeSet<>();
        for (Bundle b : context.getBundles()) {
            if (ALL_MODE_BUNDLES.contains(b.getSymbolicName())) {
                states.put(b.getSymbolicName(), b.getState());
                if (b.getState() == Bundle.ACTIVE) {
                    active.add(b.getSymbolicName());
                }
            }
        }
        if (!active.equals(expected)) {
            return "active mode bundles " + active + ", expected " + expected + " (states " + states + ")";
        }
        Set<String> captureModes = new TreeSet<>();
        for (ServiceReference<AudioCapture> r : context.getServiceReferences(AudioCapture.class, null)) {
            captureModes.add(String.valueOf(r.getProperty(IntegrationMode.SERVICE_PROPERTY)));
        }
        if (!captureModes.equals(Set.of(mode.id()))) {
            return "AudioCapture services for modes " + captureModes + ", expected only " + mode.id();
        }
        boolean ha = context.getServiceReference(HighAvailability.class) != null;
        if (ha != (mode == IntegrationMode.SHORETEL_TAPI_WAVE)) {
            return "HighAvailability service " + (ha ? "present" : "absent") + " in " + mode.id();
        }
        IntegrationMode reported = controller().lastSwitch().map(sw -> sw.to()).orElse(null);
        if (reported != mode) {
            return "controller's last switch went to " + reported;
        }
        return null;
    }
}
