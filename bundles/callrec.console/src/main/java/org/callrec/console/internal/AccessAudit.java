package org.callrec.console.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who listened to or downloaded which recording, when and from where: one line per access in
 * {@code data/audit/access.log} (append-only) and on the {@code callrec.audit} logger.
 */
@Component(service = AccessAudit.class)
public final class AccessAudit {

    private static final Logger AUDIT = LoggerFactory.getLogger("callrec.audit");

    private Path file;

    @Activate
    void activate(BundleContext ctx) {
        String data = ctx.getProperty("callrec.data");
        file = Paths.get(data == null || data.isBlank() ? "data" : data).resolve("audit").resolve("access.log");
    }

    public AccessAudit() {
    }

    AccessAudit(Path file) {
        this.file = file;
    }

    /**
     * Records one access. Failing to write the audit line refuses the access.
     *
     * @throws IOException if the line cannot be written
     */
    synchronized void record(String user, String remote, String action, String recordingId) throws IOException {
        String line = Instant.now() + "\t" + clean(user) + "\t" + clean(remote) + "\t" + action + "\t" + recordingId + "\n";
        Files.createDirectories(file.getParent());
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.SYNC);
        AUDIT.info("{} {} from {}: recording {}", clean(user), action, clean(remote), recordingId);
    }

    Path file() {
        return file;
    }

    /** Tabs and newlines would forge lines. */
    private static String clean(String s) {
        return s == null ? "-" : s.replaceAll("[\\t\\r\\n]", "_");
    }
}
