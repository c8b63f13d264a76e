package org.callrec.api.health;

import org.osgi.annotation.versioning.ConsumerType;

/** A health check; register as a service and the console and health endpoints run it. */
@ConsumerType
public interface HealthCheck {

    /** @return the current report; must be quick and must not throw */
    HealthReport check();
}
