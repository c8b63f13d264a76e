package org.callrec.api.storage;

import java.util.List;

/**
 * One page of search results.
 *
 * @param entries the rows, newest first
 * @param total how many rows match in all
 */
public record RecordingPage(List<RecordingEntry> entries, long total) {

    /** Copies the rows. */
    public RecordingPage {
        entries = List.copyOf(entries);
    }
}
