package org.callrec.api.ha;

import org.osgi.annotation.versioning.ProviderType;

/** This node's place in a primary/secondary pair. Absent means standalone: always active. */
@ProviderType
public interface HighAvailability {

    /** @return the current state */
    HaState state();

    /** @return true if this node should record now */
    default boolean isActive() {
        return state().active();
    }
}
