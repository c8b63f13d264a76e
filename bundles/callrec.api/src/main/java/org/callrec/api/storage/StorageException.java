package org.callrec.api.storage;

/** A recording cannot be opened or written; the message says why. */
public class StorageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong */
    public StorageException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong
     * @param cause the underlying error
     */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
