package org.callrec.capture.mirror.internal.live;

/** The capture NIC could not be opened or configured; the message says which and why. */
public final class LiveCaptureException extends Exception {
    private static final long serialVersionUID = 1L;

    LiveCaptureException(String message) {
        super(message);
    }

    LiveCaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
