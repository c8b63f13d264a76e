package org.callrec.api.capture;

import org.callrec.api.call.CallEvent;
import org.osgi.annotation.versioning.ProviderType;

/** The capture of one call, from its start to its end. */
@ProviderType
public interface CaptureSession {

    /**
     * Follows a later event of the call (hold, resume, transfer, conference).
     *
     * @param event the event
     */
    void update(CallEvent event);

    /**
     * Ends the capture: plays out what is buffered and leaves the recording ready to close.
     */
    void stop();
}
