package org.callrec.api.settings;

import java.util.List;
import java.util.Optional;

import org.callrec.api.mode.IntegrationMode;
import org.osgi.annotation.versioning.ProviderType;

/** Validates service settings; the messages name the key, the value and what is allowed. */
@ProviderType
public interface ServiceSettings {

    /** @return the settings, in the original's order */
    List<ServiceSetting> settings();

    /**
     * Checks one value.
     *
     * @param key a setting's key
     * @param raw the text entered
     * @param mode the integration mode it will be used in
     * @return the problem, or empty when the value is valid
     */
    Optional<String> problem(String key, String raw, IntegrationMode mode);

    /**
     * Converts a valid value to the type stored in ConfigAdmin (Boolean, Integer or String).
     *
     * @param key a setting's key
     * @param raw a valid value
     * @return the typed value
     * @throws IllegalArgumentException with the same message as {@link #problem} if it is not valid
     */
    Object typed(String key, String raw);
}
