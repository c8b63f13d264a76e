package org.callrec.api.health;

/** Severity of a health report. */
public enum HealthStatus {
    /** Working as intended. */
    OK,
    /** Working, but something needs attention. */
    WARNING,
    /** Not working: recordings are or will be lost. */
    CRITICAL
}
