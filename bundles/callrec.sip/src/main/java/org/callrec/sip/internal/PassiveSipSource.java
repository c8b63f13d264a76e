package org.callrec.sip.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.callrec.api.call.CallControlSource;
import org.callrec.api.call.CallEvent;
import org.callrec.api.call.CallEventListener;
import org.callrec.api.call.LinkState;
import org.callrec.api.directory.UserDirectory;
import org.callrec.api.health.HealthCheck;
import org.callrec.api.health.HealthReport;
import org.callrec.api.health.HealthStatus;
import org.callrec.api.sip.SipPacketSink;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The passive SIP call-control source: a {@link SipPacketSink} for captures, a
 * {@link CallControlSource} and a {@link HealthCheck}. Passive SIP has no link to lose: it is UP
 * while active; the health check reports what it parsed and rejected.
 */
@Component(configurationPid = "org.callrec.sip.passive", immediate = true, service = {})
@Designate(ocd = PassiveSipConfig.class)
public final class PassiveSipSource implements CallControlSource, HealthCheck, SipPacketSink {

    private static final Logger LOG = LoggerFactory.getLogger(PassiveSipSource.class);
    static final String ID = "sip";

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            fieldOption = FieldOption.UPDATE)
    private final List<CallEventListener> listeners = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile UserDirectory directory;

    private final AtomicLong listenerFailures = new AtomicLong();
    private volatile PassiveSip sip;
    private volatile LinkState link = new LinkState(LinkState.Status.DOWN, Instant.now(), "not started");
    private ServiceRegistration<?> registration;

    @Activate
    void activate(BundleContext context, PassiveSipConfig config) {
        Pattern internal;
        String error = null;
        try {
            internal = Pattern.compile(config.internalNumberPattern());
        } catch (PatternSyntaxException e) {
            error = "internalNumberPattern '" + config.internalNumberPattern() + "' is not a regular expression: "
                    + e.getDescription() + "; using [0-9]{2,6}";
            LOG.error("Passive SIP: {}", error);
            internal = Pattern.compile("[0-9]{2,6}");
        }
        sip = new PassiveSip(ID, this::deliver, () -> directory, internal, Math.max(16, config.maxDialogs()));
        link = new LinkState(LinkState.Status.UP, Instant.now(), error);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(LINK_STATUS_PROPERTY, link.status().name());
        props.put("callrec.source", ID);
        registration = context.registerService(new String[] {CallControlSource.class.getName(),
            HealthCheck.class.getName(), SipPacketSink.class.getName()}, this, props);
        LOG.info("Passive SIP source ready: feed it SIP payloads through {}", SipPacketSink.class.getSimpleName());
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        link = new LinkState(LinkState.Status.DOWN, Instant.now(), "stopped");
    }

    @Override
    public void onPayload(Transport transport, InetSocketAddress source, InetSocketAddress destination, Instant time,
            ByteBuffer payload) {
        PassiveSip s = sip;
        if (s != null) {
            s.onPayload(transport, source, destination, time, payload);
        }
    }

    private void deliver(CallEvent e) {
        for (CallEventListener l : listeners) {
            try {
                l.onCallEvent(e);
            } catch (RuntimeException x) {
                listenerFailures.incrementAndGet();
                LOG.warn("Call event listener {} failed on {} {}: {}", l.getClass().getName(), e.type(), e.callId(),
                        x.toString());
            }
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public LinkState linkState() {
        return link;
    }

    @Override
    public HealthReport check() {
        PassiveSip s = sip;
        if (s == null) {
            return new HealthReport("call-control sip", HealthStatus.CRITICAL, "passive SIP not active", List.of(), null);
        }
        HealthStatus status = s.malformed() > 0 || s.malformedSdp() > 0 ? HealthStatus.WARNING : HealthStatus.OK;
        return new HealthReport("call-control sip", status,
                "passive SIP: " + s.messages() + " messages, " + s.malformed() + " malformed skipped",
                List.of("malformed SDP: " + s.malformedSdp(), "dialogs followed: " + s.dialogs(),
                        "messages outside a known dialog: " + s.orphans(),
                        "listener failures: " + listenerFailures.get(),
                        "last error: " + (s.lastError() == null ? "none" : s.lastError())), null);
    }
}
