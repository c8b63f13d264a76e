package org.callrec.api.mode;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Activates the bundle set of the configured integration mode and deactivates the others, at run
 * time. The mode itself is configuration (ConfigAdmin); this service reports what happened.
 */
@ProviderType
public interface ModeController {

    /** Configuration PID holding the {@code mode} property. */
    String PID = "org.callrec.core.mode";

    /** @return the mode now active */
    IntegrationMode mode();

    /** @return the last switch performed, if any */
    Optional<ModeSwitch> lastSwitch();
}
