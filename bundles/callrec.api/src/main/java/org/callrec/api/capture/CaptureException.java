package org.callrec.api.capture;

/** A call could not be captured; the message explains why in an administrator's words. */
public class CaptureException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message the explained reason */
    public CaptureException(String message) {
        super(message);
    }

    /**
     * @param message the explained reason
     * @param cause the underlying error
     */
    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
