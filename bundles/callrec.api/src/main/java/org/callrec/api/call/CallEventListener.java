package org.callrec.api.call;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard listener for call events: register it as a service and every call-control source
 * delivers its events to it, in order per call.
 */
@ConsumerType
public interface CallEventListener {

    /**
     * Receives one event. Must return quickly; must not throw (sources log and count what does).
     *
     * @param event the event
     */
    void onCallEvent(CallEvent event);
}
