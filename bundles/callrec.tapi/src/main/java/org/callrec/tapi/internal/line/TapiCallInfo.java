package org.callrec.tapi.internal.line;

/**
 * The fields of LINECALLINFO the state machine uses. Numbers are the TSP's strings, or null when
 * the corresponding *IDFlags say the id is blocked, unavailable or absent.
 *
 * @param hLine the line the call is on
 * @param callId the switch's call id (dwCallID), stable across lines and re-initialisation
 * @param relatedCallId dwRelatedCallID: the call this one belongs to (consultation, conference, transfer)
 * @param origin LINECALLORIGIN_ bits
 * @param reason LINECALLREASON_ bits
 */
public record TapiCallInfo(int hLine, int callId, int relatedCallId, int origin, int reason, String callerId,
        String calledId, String connectedId, String redirectionId, String redirectingId) {
}
