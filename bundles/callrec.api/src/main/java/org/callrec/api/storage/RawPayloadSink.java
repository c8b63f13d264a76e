package org.callrec.api.storage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Keeps codec payload that cannot be decoded now (e.g. G.729 without the OS library), losslessly
 * and with its timing, so it can be decoded later.
 */
@ProviderType
public interface RawPayloadSink {

    /**
     * Stores one payload.
     *
     * @param samplePosition where its audio belongs on the recording's clock
     * @param payload buffer
     * @param offset first byte
     * @param length byte count
     */
    void payload(long samplePosition, byte[] payload, int offset, int length);
}
