package org.callrec.core.internal.qms;

/** The file cannot be imported at all (unreadable, not XML, no {@code <Tapi>} section). */
public final class QmsImportException extends Exception {
    private static final long serialVersionUID = 1L;

    QmsImportException(String message) {
        super(message);
    }

    QmsImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
