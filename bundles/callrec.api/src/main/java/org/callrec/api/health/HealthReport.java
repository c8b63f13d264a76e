package org.callrec.api.health;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The result of one health check.
 *
 * @param check the check's name
 * @param status severity
 * @param message one line for an administrator
 * @param details further lines (e.g. one per diagnosis)
 * @param at when it was produced
 */
public record HealthReport(String check, HealthStatus status, String message, List<String> details, Instant at) {

    /** Validates the report. */
    public HealthReport {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        details = details == null ? List.of() : List.copyOf(details);
        at = at == null ? Instant.now() : at;
    }
}
