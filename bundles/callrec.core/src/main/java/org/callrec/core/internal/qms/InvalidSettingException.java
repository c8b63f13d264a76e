package org.callrec.core.internal.qms;

/** A setting's value is outside what is allowed; the message names key, value and range. */
public final class InvalidSettingException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidSettingException(String message) {
        super(message);
    }
}
