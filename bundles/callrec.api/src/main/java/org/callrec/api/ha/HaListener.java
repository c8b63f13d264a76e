package org.callrec.api.ha;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: register as a service to be told of HA state changes (takeover, primary returned,
 * stood down). Called in order on one HA thread; must be quick and must not throw.
 */
@ConsumerType
public interface HaListener {

    /** @param event what changed */
    void haChanged(HaEvent event);
}
