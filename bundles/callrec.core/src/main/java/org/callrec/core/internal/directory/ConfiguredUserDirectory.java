package org.callrec.core.internal.directory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import org.callrec.api.directory.User;
import org.callrec.api.directory.UserDirectory;
import org.callrec.api.health.HealthCheck;
import org.callrec.api.health.HealthReport;
import org.callrec.api.health.HealthStatus;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users configured here. An extension may belong to one user only: when two claim it, the
 * one configured first keeps it, the other is left out of the directory, and the conflict is
 * logged and reported by the health check.
 */
@Component(service = {UserDirectory.class, HealthCheck.class})
public final class ConfiguredUserDirectory implements UserDirectory, HealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredUserDirectory.class);

    /** By DS service id, so "configured first" is well defined. */
    private final Map<Long, User> configured = new ConcurrentSkipListMap<>();
    private volatile View view = new View(List.of(), Map.of(), Map.of(), List.of());

    private record View(List<User> users, Map<String, User> byExtension, Map<String, User> byIp, List<String> conflicts) {
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addUser(ConfiguredUser u, Map<String, Object> props) {
        configured.put((Long) props.get("service.id"), u.user());
        rebuild();
    }

    void removeUser(ConfiguredUser u, Map<String, Object> props) {
        configured.remove((Long) props.get("service.id"));
        rebuild();
    }

    /** Adds a user directly (tests, bulk import); returns the conflicts it causes. */
    synchronized List<String> put(long order, User user) {
        configured.put(order, user);
        rebuild();
        return view.conflicts();
    }

    private synchronized void rebuild() {
        Map<String, User> byExt = new HashMap<>();
        Map<String, User> byIp = new HashMap<>();
        List<User> users = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        for (User u : configured.values()) {
            List<String> exts = new ArrayList<>();
            exts.add(u.extension());
            exts.addAll(u.additionalExtensions());
            String clash = exts.stream().filter(byExt::containsKey).findFirst().orElse(null);
            if (clash != null) {
                String msg = "extension " + clash + " of user '" + u.name() + "' (" + u.id() + ") already belongs to user '"
                        + byExt.get(clash).name() + "' (" + byExt.get(clash).id() + "); '" + u.name() + "' is not recorded";
                conflicts.add(msg);
                LOG.error("User directory: {}", msg);
                continue;
            }
            exts.forEach(e -> byExt.put(e, u));
            if (u.endpointIp() != null) {
                User other = byIp.putIfAbsent(u.endpointIp(), u);
                if (other != null) {
                    String msg = "endpoint IP " + u.endpointIp() + " is given for users '" + other.name() + "' and '"
                            + u.name() + "'; RTP from it is matched to '" + other.name() + "'";
                    conflicts.add(msg);
                    LOG.warn("User directory: {}", msg);
                }
            }
            users.add(u);
        }
        users.sort(Comparator.comparing(User::extension));
        view = new View(List.copyOf(users), Map.copyOf(byExt), Map.copyOf(byIp), List.copyOf(conflicts));
    }

    @Override
    public List<User> users() {
        return view.users();
    }

    @Override
    public Optional<User> byExtension(String extension) {
        return extension == null ? Optional.empty() : Optional.ofNullable(view.byExtension().get(extension));
    }

    @Override
    public Optional<User> byEndpointIp(String ip) {
        String n = ip == null ? null : UserValidation.normaliseIp(ip);
        return n == null ? Optional.empty() : Optional.ofNullable(view.byIp().get(n));
    }

    @Override
    public HealthReport check() {
        View v = view;
        if (v.conflicts().isEmpty()) {
            return new HealthReport("users", HealthStatus.OK, v.users().size() + " users configured", List.of(), Instant.now());
        }
        return new HealthReport("users", HealthStatus.WARNING, v.conflicts().size() + " user configuration conflict(s)",
                v.conflicts(), Instant.now());
    }
}
