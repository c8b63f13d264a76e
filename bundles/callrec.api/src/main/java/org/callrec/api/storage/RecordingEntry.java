package org.callrec.api.storage;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.audio.GapMarker;

/**
 * A recording as the catalog holds it.
 *
 * @param id the recording's id
 * @param metadata what was known when it opened
 * @param end when it closed, or null while recording
 * @param durationMillis audio length
 * @param status life-cycle status
 * @param statusReason explanation of the status, or null
 * @param codecs encodings seen
 * @param counters loss and concealment counters by name
 * @param gaps gap markers
 * @param dtmf DTMF events
 * @param legalHold true if retention must keep it
 */
public record RecordingEntry(String id, RecordingMetadata metadata, Instant end, long durationMillis,
        RecordingStatus status, String statusReason, List<String> codecs, Map<String, Long> counters,
        List<GapMarker> gaps, List<DtmfEvent> dtmf, boolean legalHold) {

    /** Copies the collections. */
    public RecordingEntry {
        codecs = codecs == null ? List.of() : List.copyOf(codecs);
        counters = counters == null ? Map.of() : Map.copyOf(counters);
        gaps = gaps == null ? List.of() : List.copyOf(gaps);
        dtmf = dtmf == null ? List.of() : List.copyOf(dtmf);
    }
}
