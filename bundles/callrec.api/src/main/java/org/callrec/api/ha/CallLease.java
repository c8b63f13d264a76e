package org.callrec.api.ha;

import org.osgi.annotation.versioning.ProviderType;

/**
 * This node's claim to record one call, from {@link HighAvailability#claimCall(String)}. While any
 * lease is open the node does not stand down, so failback never cuts a call in progress. Release it
 * exactly once when the recording ends, or with {@link #releaseRefused(String)} when the PBX refused
 * the Route Point call (the peer already holds it: a harmless duplicate attempt).
 */
@ProviderType
public interface CallLease extends AutoCloseable {

    /** @return the call this lease is for */
    String callId();

    /** The recording ended: this node no longer holds the call. Idempotent. */
    void release();

    /**
     * The attempt to record was refused (e.g. the Route Point is already connected to the peer);
     * counted and reported, then released. Idempotent.
     *
     * @param reason what refused it, for the log and health report
     */
    void releaseRefused(String reason);

    /** Same as {@link #release()}. */
    @Override
    default void close() {
        release();
    }
}
