package org.callrec.api.storage;

import java.io.IOException;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Decodes recordings kept as raw codec payload ({@link RecordingStatus#DECODE_PENDING}) once their
 * codec is available: the WAV file is rewritten with the decoded audio and the recording becomes
 * {@link RecordingStatus#COMPLETE}. Provided by the storage bundle; used by the console.
 */
@ProviderType
public interface PendingDecoder {

    /**
     * Decodes one recording now.
     *
     * @param id the recording's id
     * @return the catalog entry after decoding
     * @throws IllegalArgumentException if no such recording is decode-pending
     * @throws IllegalStateException if its codec still cannot be decoded here
     * @throws IOException if its files cannot be read or rewritten (the recording stays decode-pending)
     */
    RecordingEntry decode(String id) throws IOException;

    /**
     * Decodes every decode-pending recording whose codec is available now.
     *
     * @return the ids that became complete
     */
    List<String> decodeAll();
}
