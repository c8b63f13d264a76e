package org.callrec.ha.internal;

/** A configured HA value outside its range; the message names the key, the value and what is allowed. */
final class InvalidHaSettingException extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidHaSettingException(String message) {
        super(message);
    }
}
