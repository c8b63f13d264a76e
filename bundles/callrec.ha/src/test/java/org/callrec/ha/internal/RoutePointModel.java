package org.callrec.ha.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The PBX side of TAPI/Wave as MISSION.md describes it, for tests: a call can be connected to the
 * Route Point by one recording service at a time; a second attempt is refused (harmlessly).
 */
final class RoutePointModel {

    private final Map<String, String> connectedTo = new HashMap<>();
    private final Map<String, List<String>> recordedBy = new HashMap<>();
    private final Map<String, Integer> refusedByNode = new HashMap<>();

    /** @return true if this node now records the call, false if the peer already does */
    synchronized boolean connect(String callId, String nodeId) {
        if (connectedTo.containsKey(callId)) {
            refusedByNode.merge(nodeId, 1, Integer::sum);
            return false;
        }
        connectedTo.put(callId, nodeId);
        recordedBy.computeIfAbsent(callId, k -> new ArrayList<>()).add(nodeId);
        return true;
    }

    synchronized void disconnect(String callId, String nodeId) {
        if (!connectedTo.remove(callId, nodeId)) {
            throw new IllegalStateException(nodeId + " disconnected " + callId + " that it did not hold");
        }
    }

    synchronized List<String> recordedBy(String callId) {
        return List.copyOf(recordedBy.getOrDefault(callId, List.of()));
    }

    synchronized int refused(String nodeId) {
        return refusedByNode.getOrDefault(nodeId, 0);
    }
}
