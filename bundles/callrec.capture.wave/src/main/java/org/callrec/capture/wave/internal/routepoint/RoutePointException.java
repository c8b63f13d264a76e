package org.callrec.capture.wave.internal.routepoint;

/** A Route Point call could not be placed or kept; the message says why. */
public final class RoutePointException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message the reason */
    public RoutePointException(String message) {
        super(message);
    }

    /**
     * @param message the reason
     * @param cause the underlying error
     */
    public RoutePointException(String message, Throwable cause) {
        super(message, cause);
    }
}
