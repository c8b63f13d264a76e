package org.callrec.api.mode;

import java.time.Instant;
import java.util.List;

/**
 * What one activation of a mode did.
 *
 * @param from the previous mode, or null at start-up
 * @param to the mode now active
 * @param at when the switch began
 * @param millis how long until the bundle set had settled
 * @param started symbolic names of bundles started
 * @param stopped symbolic names of bundles stopped
 * @param problems bundles that did not reach the expected state, with the reason
 */
public record ModeSwitch(IntegrationMode from, IntegrationMode to, Instant at, long millis,
        List<String> started, List<String> stopped, List<String> problems) {

    /** Copies the lists. */
    public ModeSwitch {
        started = List.copyOf(started);
        stopped = List.copyOf(stopped);
        problems = List.copyOf(problems);
    }
}
