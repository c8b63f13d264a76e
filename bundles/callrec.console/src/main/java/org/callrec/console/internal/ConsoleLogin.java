package org.callrec.console.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console's only way in. The runtime sets {@code felix.webconsole.security.providers=callrec},
 * so the console is not served at all until this provider is registered, and its built-in
 * admin/admin login is disabled. The password comes from, in order: the configuration's hash, the
 * {@code CALLREC_CONSOLE_PASSWORD} environment variable, the hash stored on first start; else one
 * is generated, printed once with the URL, and only its hash is stored.
 */
@Component(configurationPid = "org.callrec.console.auth",
        property = SecurityProvider.PROPERTY_ID + "=" + ConsoleLogin.PROVIDER_ID)
@Designate(ocd = AuthConfig.class)
public final class ConsoleLogin implements SecurityProvider {

    static final String PROVIDER_ID = "callrec";
    static final String ENV_PASSWORD = "CALLREC_CONSOLE_PASSWORD";
    static final String REALM = "callrec";
    static final String REMOTE_USER_ATTRIBUTE = "org.osgi.service.servlet.context.remote.user";
    static final String AUTH_TYPE_ATTRIBUTE = "org.osgi.service.servlet.context.authentication.type";

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleLogin.class);
    private static final int MIN_LENGTH = 8;

    /** Verified credentials, keyed by a keyed digest, so PBKDF2 runs once per login, not per request. */
    private final Set<String> verified = ConcurrentHashMap.newKeySet();
    private final byte[] cacheKey = new byte[32];

    private volatile String username;
    private volatile PasswordHash password;

    @Activate
    void activate(BundleContext ctx, AuthConfig config) throws IOException {
        new SecureRandom().nextBytes(cacheKey);
        Path data = Paths.get(orDefault(ctx.getProperty("callrec.data"), "data"));
        configure(config, data.resolve("console").resolve("admin.pbkdf2"), consoleUrl(ctx), System.getenv(ENV_PASSWORD));
    }

    @Modified
    void modified(BundleContext ctx, AuthConfig config) throws IOException {
        activate(ctx, config);
    }

    void configure(AuthConfig config, Path stored, String url, String envPassword) throws IOException {
        verified.clear();
        username = config.username().isBlank() ? "admin" : config.username().trim();
        if (!config.passwordHash().isBlank()) {
            password = PasswordHash.parse(config.passwordHash());
            LOG.info("Console login for '{}' uses the configured password hash", username);
            return;
        }
        if (envPassword != null && !envPassword.isEmpty()) {
            if (envPassword.length() < MIN_LENGTH || envPassword.equals(username)) {
                throw new IllegalArgumentException(ENV_PASSWORD + " is too weak: it must have at least " + MIN_LENGTH
                        + " characters and differ from the user name");
            }
            password = PasswordHash.of(envPassword);
            LOG.info("Console login for '{}' uses the password from {}", username, ENV_PASSWORD);
            return;
        }
        if (Files.isRegularFile(stored)) {
            password = PasswordHash.parse(Files.readString(stored, StandardCharsets.US_ASCII));
            LOG.info("Console login for '{}' uses the password generated on first start (hash in {})", username, stored);
            return;
        }
        String generated = PasswordHash.randomPassword(20);
        password = PasswordHash.of(generated);
        Files.createDirectories(stored.getParent());
        Path tmp = stored.resolveSibling(stored.getFileName() + ".tmp");
        Files.writeString(tmp, password.format() + "\n", StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): the folder's ACL applies
        }
        Files.move(tmp, stored, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        // Printed once, on the terminal only: the log file never holds the password.
        System.out.println();
        System.out.println("callrec console: " + url);
        System.out.println("  user: " + username + "   password: " + generated);
        System.out.println("  (shown once; only its hash is kept in " + stored + ";");
        System.out.println("   delete that file to generate a new one, or set " + ENV_PASSWORD + ")");
        System.out.println();
        LOG.info("Console login for '{}': generated a password on first start, printed on the terminal; hash in {}",
                username, stored);
    }

    @Override
    public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String user = check(header.substring(6).trim());
            if (user != null) {
                // what ServletContextHelper.handleSecurity promises: getRemoteUser() works in servlets
                request.setAttribute(REMOTE_USER_ATTRIBUTE, user);
                request.setAttribute(AUTH_TYPE_ATTRIBUTE, HttpServletRequest.BASIC_AUTH);
                return user;
            }
            LOG.warn("Console login refused for {} from {}", request.getRequestURI(), request.getRemoteAddr());
        }
        try {
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setContentLength(0);
            response.flushBuffer();
        } catch (IOException e) {
            LOG.debug("could not send 401: {}", e.getMessage());
        }
        return null;
    }

    /** @return the user name if the Basic credentials are right, else null */
    String check(String base64) {
        String digest = digest(base64);
        String user = username;
        if (verified.contains(digest)) {
            return user;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String u = decoded.substring(0, colon);
        String p = decoded.substring(colon + 1);
        if (PasswordHash.same(u, user) && password.matches(p)) {
            if (verified.size() > 64) {
                verified.clear();
            }
            verified.add(digest);
            return user;
        }
        return null;
    }

    @Override
    public boolean authorize(Object user, String role) {
        return user != null;
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        verified.clear();
    }

    private String digest(String s) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(cacheKey);
            return Base64.getEncoder().encodeToString(md.digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String consoleUrl(BundleContext ctx) {
        String host = orDefault(ctx.getProperty("org.apache.felix.http.host"), "0.0.0.0");
        String port = orDefault(ctx.getProperty("org.osgi.service.http.port"), "8080");
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/system/console";
    }

    private static String orDefault(String v, String d) {
        return v == null || v.isBlank() ? d : v;
    }
}
