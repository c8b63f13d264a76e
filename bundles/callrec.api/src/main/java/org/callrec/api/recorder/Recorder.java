package org.callrec.api.recorder;

import java.util.List;

import org.callrec.api.call.CallEvent;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The recording orchestrator: receives call events, decides which calls to record, starts and
 * stops captures of the active mode, and knows every live call.
 */
@ProviderType
public interface Recorder {

    /**
     * Decides whether a call is recorded here, without side effects.
     *
     * @param event an event of the call
     * @return the decision with its reason
     */
    RecordingDecision decide(CallEvent event);

    /** @return the calls in progress on monitored extensions */
    List<LiveCall> liveCalls();
}
