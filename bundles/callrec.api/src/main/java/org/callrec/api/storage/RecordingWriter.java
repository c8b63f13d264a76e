package org.callrec.api.storage;

import org.osgi.annotation.versioning.ProviderType;

/** Opens recordings. Provided by the storage bundle. */
@ProviderType
public interface RecordingWriter {

    /**
     * Opens a new recording and its catalog entry.
     *
     * @param metadata what is known now
     * @return the open recording
     * @throws StorageException if no recording can start (e.g. disk below its free-space threshold)
     */
    Recording open(RecordingMetadata metadata) throws StorageException;

    /**
     * Records a call that is deliberately not recorded, with the reason, so the catalog explains
     * it (e.g. internal call in TAPI/Wave, capacity reached).
     *
     * @param metadata what is known of the call
     * @param status {@link RecordingStatus#SKIPPED} or {@link RecordingStatus#FAILED}
     * @param reason the explanation
     * @return the catalog entry's id
     */
    String skipped(RecordingMetadata metadata, RecordingStatus status, String reason);
}
