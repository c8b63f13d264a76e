package org.callrec.api.directory;

import java.util.List;
import java.util.Objects;

/**
 * A PBX user as the recorder knows it. Only licensed users assigned to this recording server are
 * recorded.
 *
 * @param id stable id (the configuration's id)
 * @param name display name
 * @param account account or login name
 * @param licensed whether the Call Recording license is checked
 * @param recordingServer name of the recording server that records this user
 * @param extension the user's extension
 * @param additionalExtensions further extensions recorded for this user
 * @param endpointIp IP address (v4 or v6 literal) of the user's phone, or null when unknown
 */
public record User(String id, String name, String account, boolean licensed, String recordingServer,
        String extension, List<String> additionalExtensions, String endpointIp) {

    /** Validates the user and copies the extension list. */
    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(extension, "extension");
        additionalExtensions = additionalExtensions == null ? List.of() : List.copyOf(additionalExtensions);
    }

    /**
     * Whether the given extension is one of this user's.
     *
     * @param ext an extension
     * @return true for the main or an additional extension
     */
    public boolean owns(String ext) {
        return extension.equals(ext) || additionalExtensions.contains(ext);
    }
}
