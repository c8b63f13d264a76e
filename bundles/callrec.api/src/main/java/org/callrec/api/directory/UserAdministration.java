package org.callrec.api.directory;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** Adds, changes and removes users (the console's Users page and bulk CSV import use it). */
@ProviderType
public interface UserAdministration {

    /**
     * Checks a user as entered: field formats, and extensions or endpoint addresses another user
     * already has.
     *
     * @param user the user; a null or blank id means a new user
     * @return every problem, each naming the field, the value and the rule; empty when valid
     */
    List<String> problems(User user);

    /**
     * Creates or updates a user.
     *
     * @param user the user; a null or blank id creates a new one
     * @return the user's id
     * @throws IllegalArgumentException with the problems when the user is not valid
     */
    String save(User user);

    /**
     * Removes a user.
     *
     * @param id the user's id
     * @return true if the user existed
     */
    boolean delete(String id);
}
