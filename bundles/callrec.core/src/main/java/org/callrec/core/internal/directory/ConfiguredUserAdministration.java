package org.callrec.core.internal.directory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.callrec.api.directory.User;
import org.callrec.api.directory.UserAdministration;
import org.callrec.api.directory.UserDirectory;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Users are factory configurations ({@code org.callrec.core.user~<id>}): saved here, they survive
 * restarts and appear in the directory as soon as ConfigAdmin delivers them.
 */
@Component
public final class ConfiguredUserAdministration implements UserAdministration {

    @Reference
    private ConfigurationAdmin configAdmin;

    @Reference
    private UserDirectory directory;

    @Override
    public List<String> problems(User user) {
        List<String> p = new ArrayList<>(UserValidation.problems(user.extension(),
                user.additionalExtensions().toArray(String[]::new), user.endpointIp()));
        if (user.name() == null || user.name().isBlank()) {
            p.add("name: must not be empty");
        }
        String self = user.id() == null ? "" : user.id();
        List<String> mine = new ArrayList<>(user.additionalExtensions());
        mine.add(user.extension());
        for (User other : directory.users()) {
            if (other.id().equals(self)) {
                continue;
            }
            for (String ext : mine) {
                if (other.owns(ext)) {
                    p.add("extension " + ext + " already belongs to user '" + other.name() + "'");
                }
            }
            if (user.endpointIp() != null && !user.endpointIp().isBlank()
                    && Objects.equals(UserValidation.normaliseIp(user.endpointIp()), other.endpointIp())) {
                p.add("endpointIp: " + user.endpointIp() + " is already the phone of user '" + other.name() + "'");
            }
        }
        return p;
    }

    @Override
    public String save(User user) {
        List<String> p = problems(user);
        if (!p.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", p));
        }
        try {
            Configuration c = user.id() == null || user.id().isBlank()
                    ? configAdmin.getFactoryConfiguration(ConfiguredUser.FACTORY_PID,
                            UUID.randomUUID().toString().substring(0, 8), "?")
                    : existing(user.id());
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("name", user.name());
            props.put("account", user.account() == null ? "" : user.account());
            props.put("licensed", user.licensed());
            props.put("recordingServer", user.recordingServer() == null ? "" : user.recordingServer());
            props.put("extension", user.extension().trim());
            props.put("additionalExtensions", user.additionalExtensions().stream().map(String::trim).toArray(String[]::new));
            props.put("endpointIp", user.endpointIp() == null ? "" : user.endpointIp().trim());
            c.update(props);
            return c.getPid();
        } catch (IOException e) {
            throw new UncheckedIOException("ConfigAdmin refused the user: " + e.getMessage(), e);
        }
    }

    private Configuration existing(String id) throws IOException {
        try {
            Configuration[] found = configAdmin.listConfigurations("(&(service.factoryPid=" + ConfiguredUser.FACTORY_PID
                    + ")(service.pid=" + id.replaceAll("[()*\\\\]", "") + "))");
            if (found == null || found.length == 0) {
                throw new IllegalArgumentException("no user with id " + id);
            }
            return found[0];
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("not a user id: " + id, e);
        }
    }

    @Override
    public boolean delete(String id) {
        try {
            existing(id).delete();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
