package org.callrec.core.internal.directory;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.callrec.api.directory.User;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One user, from one factory configuration {@code org.callrec.core.user~<name>} (console, or a
 * {@code conf/org.callrec.core.user~<name>.config} file). An invalid configuration does not
 * activate: DS logs the exception, which names the field and value.
 */
@Component(service = ConfiguredUser.class, configurationPid = ConfiguredUser.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = UserConfig.class, factory = true)
public final class ConfiguredUser {

    /** Factory PID of user configurations. */
    public static final String FACTORY_PID = "org.callrec.core.user";

    private User user;

    @Activate
    void activate(UserConfig config, Map<String, Object> props) {
        List<String> problems = UserValidation.problems(config.extension(), config.additionalExtensions(), config.endpointIp());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("user configuration " + props.get("service.pid") + ": "
                    + String.join("; ", problems));
        }
        if (config.name().isBlank()) {
            throw new IllegalArgumentException("user configuration " + props.get("service.pid") + ": name: must not be empty");
        }
        String id = String.valueOf(props.getOrDefault("service.pid", config.extension()));
        String ip = config.endpointIp().isBlank() ? null : UserValidation.normaliseIp(config.endpointIp());
        user = new User(id, config.name(), config.account(), config.licensed(), config.recordingServer().trim(),
                config.extension().trim(), Arrays.stream(config.additionalExtensions()).map(String::trim).toList(), ip);
    }

    User user() {
        return user;
    }
}
