package org.callrec.sip.internal;

/** A payload that is not a well-formed SIP message (or SDP body); the message says what is wrong. */
final class SipParseException extends Exception {

    private static final long serialVersionUID = 1L;

    SipParseException(String message) {
        super(message, null, false, false);
    }
}
