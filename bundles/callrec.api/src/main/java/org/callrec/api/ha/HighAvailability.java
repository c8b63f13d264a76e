package org.callrec.api.ha;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** This node's place in a primary/secondary pair. Absent means standalone: always active. */
@ProviderType
public interface HighAvailability {

    /** @return the current state */
    HaState state();

    /**
     * @return true if this node records now: it is active, or a secondary still finishing the calls
     *         it took over (the catalog's HA node field is {@link HaState#nodeId()})
     */
    default boolean isActive() {
        return state().active();
    }

    /**
     * Claims a call before recording it (in TAPI/Wave: before placing the Route Point call). The
     * claim is refused when this node must not take new calls: a passive secondary, or one whose
     * primary has returned and that only finishes the calls it holds. Claim and check are one step,
     * so a node cannot stand down between them.
     *
     * @param callId the call's id
     * @return the lease, to release when the recording ends; empty if this node must not record it
     * @since 1.1
     */
    default Optional<CallLease> claimCall(String callId) {
        if (!isActive()) {
            return Optional.empty();
        }
        return Optional.of(new CallLease() {
            @Override
            public String callId() {
                return callId;
            }

            @Override
            public void release() {
                // nothing held: a provider without failback has nothing to wait for
            }

            @Override
            public void releaseRefused(String reason) {
                // nothing held
            }
        });
    }

    /**
     * @return the number of calls this node holds leases for
     * @since 1.1
     */
    default int callsInProgress() {
        return 0;
    }
}
