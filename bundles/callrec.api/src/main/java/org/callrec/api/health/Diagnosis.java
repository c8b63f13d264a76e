package org.callrec.api.health;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Something the recorder worked out about why a call is not recorded, e.g. "call on ext 2001
 * connected 10 s ago, no RTP seen from 10.0.0.51 on the capture NIC eth1".
 *
 * @param subject what it is about (an extension, a call id)
 * @param message the finding
 * @param likelyCauses what an administrator should check, most likely first
 * @param since when it was first seen
 */
public record Diagnosis(String subject, String message, List<String> likelyCauses, Instant since) {

    /** Validates the diagnosis. */
    public Diagnosis {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
        likelyCauses = likelyCauses == null ? List.of() : List.copyOf(likelyCauses);
        Objects.requireNonNull(since, "since");
    }
}
