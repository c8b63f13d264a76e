package org.callrec.api.call;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One change of a call on one monitored extension. Every call-control source (TAPI, the scripted
 * PBX, passive SIP) publishes these to {@link CallEventListener} services.
 *
 * @param source id of the publishing source (see {@link CallControlSource#id()})
 * @param callId the source's id of the call, stable for the call's life on this line
 * @param type what happened
 * @param time when the source saw it
 * @param extension the monitored extension the event belongs to
 * @param parties the numbers involved
 * @param origin internal or external
 * @param direction inbound or outbound, from the extension's point of view
 * @param dnis the dialled number identification, only when DNIS processing is enabled, else null
 * @param relatedCallIds ids of calls this one is tied to (consultation, transfer, conference legs)
 * @param media SDP media hints, empty when the source has none (TAPI has none)
 */
public record CallEvent(String source, String callId, CallEventType type, Instant time, String extension,
        CallParties parties, CallOrigin origin, CallDirection direction, String dnis,
        List<String> relatedCallIds, List<MediaHint> media) {

    /** Validates the event and copies its lists. */
    public CallEvent {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(extension, "extension");
        parties = parties == null ? CallParties.UNKNOWN : parties;
        origin = origin == null ? CallOrigin.UNKNOWN : origin;
        direction = direction == null ? CallDirection.UNKNOWN : direction;
        relatedCallIds = relatedCallIds == null ? List.of() : List.copyOf(relatedCallIds);
        media = media == null ? List.of() : List.copyOf(media);
    }
}
