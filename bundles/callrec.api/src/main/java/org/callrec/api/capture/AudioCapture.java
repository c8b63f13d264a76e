package org.callrec.api.capture;

import org.callrec.api.mode.IntegrationMode;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The audio path of one integration mode. Registered as a service with the property
 * {@link IntegrationMode#SERVICE_PROPERTY} naming the mode; only the active mode's capture is
 * present.
 */
@ConsumerType
public interface AudioCapture {

    /** @return the mode this capture serves */
    IntegrationMode mode();

    /**
     * Starts capturing a call.
     *
     * @param request what to record and where to write it
     * @return the running session
     * @throws CaptureException with an explained reason if the call cannot be captured
     */
    CaptureSession start(CaptureRequest request) throws CaptureException;
}
