package org.callrec.api.directory;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The users known to this recorder. */
@ProviderType
public interface UserDirectory {

    /** @return all users, in a stable order */
    List<User> users();

    /**
     * Finds the user owning an extension (main or additional).
     *
     * @param extension the extension
     * @return the user, if any
     */
    Optional<User> byExtension(String extension);

    /**
     * Finds the user whose phone has this address.
     *
     * @param ip an IPv4 or IPv6 literal
     * @return the user, if any
     */
    Optional<User> byEndpointIp(String ip);
}
