package org.callrec.tapi.internal;

import java.time.Instant;

import org.callrec.api.call.CallControlSource;
import org.callrec.api.call.LinkState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TAPI call-control source. tapi32.dll exists only on Windows; elsewhere the link is reported
 * down with that reason, so the console and health checks say why no call events arrive.
 */
@Component(service = CallControlSource.class, configurationPid = "org.callrec.tapi", immediate = true,
        property = CallControlSource.LINK_STATUS_PROPERTY + "=DOWN")
@Designate(ocd = TapiConfig.class)
public final class TapiProvider implements CallControlSource {

    private static final Logger LOG = LoggerFactory.getLogger(TapiProvider.class);

    private volatile LinkState link;
    private volatile boolean dnis;

    @Activate
    void activate(TapiConfig config) {
        modified(config);
        boolean windows = System.getProperty("os.name", "").startsWith("Windows");
        link = new LinkState(LinkState.Status.DOWN, Instant.now(), windows
                ? "TAPI binding not started yet"
                : "tapi32.dll is not available on " + System.getProperty("os.name") + "; use the scripted PBX");
        LOG.info("TAPI provider: link {} ({})", link.status(), link.lastError());
    }

    @Modified
    void modified(TapiConfig config) {
        dnis = config.EnableDnis();
    }

    @Override
    public String id() {
        return "tapi";
    }

    @Override
    public LinkState linkState() {
        return link;
    }

    boolean dnisEnabled() {
        return dnis;
    }
}
