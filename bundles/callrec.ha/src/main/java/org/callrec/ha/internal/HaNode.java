package org.callrec.ha.internal;

import java.time.Instant;

import org.callrec.api.ha.HaRole;
import org.callrec.api.ha.HaState;
import org.callrec.api.ha.HighAvailability;
import org.callrec.api.mode.IntegrationMode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's HA role. Heartbeats are not built yet: a node configured as primary or secondary
 * says so loudly and records as a standalone node, so no call goes unrecorded meanwhile.
 */
@Component(immediate = true, configurationPid = "org.callrec.ha",
        property = IntegrationMode.SERVICE_PROPERTY + "=shoretel-tapi-wave")
@Designate(ocd = HaConfig.class)
public final class HaNode implements HighAvailability {

    private static final Logger LOG = LoggerFactory.getLogger(HaNode.class);

    private volatile HaState state;

    @Activate
    @Modified
    void configure(HaConfig config) {
        HaRole role;
        try {
            role = HaRole.valueOf(config.role());
        } catch (IllegalArgumentException e) {
            LOG.error("org.callrec.ha: role '{}' is not one of STANDALONE, PRIMARY, SECONDARY; acting standalone", config.role());
            role = HaRole.STANDALONE;
        }
        if (role != HaRole.STANDALONE) {
            LOG.error("org.callrec.ha: role {} configured, but heartbeats are not available in this build; "
                    + "this node records every call as a standalone node", role);
        }
        state = new HaState(config.nodeId(), role, true, Instant.now(), null, null, 0);
    }

    @Override
    public HaState state() {
        return state;
    }
}
