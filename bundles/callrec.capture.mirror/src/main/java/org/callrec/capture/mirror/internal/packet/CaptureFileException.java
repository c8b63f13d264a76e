package org.callrec.capture.mirror.internal.packet;

/** A capture file that cannot be read at all; the message names the file and what is wrong. */
public final class CaptureFileException extends Exception {
    private static final long serialVersionUID = 1L;

    CaptureFileException(String message) {
        super(message);
    }
}
