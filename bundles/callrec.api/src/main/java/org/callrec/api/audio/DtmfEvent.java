package org.callrec.api.audio;

/**
 * A DTMF digit (RFC 4733 telephone-event) with its timing on the recording's clock.
 *
 * @param channel channel index on which the digit was sent
 * @param digit one of {@code 0-9 * # A-D}, or {@code F} for flash
 * @param startSample first sample of the tone, counted from the start of the recording
 * @param durationSamples duration of the tone in samples
 * @param volume the event's volume field (0 to -63 dBm0, given as its absolute value)
 */
public record DtmfEvent(int channel, char digit, long startSample, long durationSamples, int volume) {

    /** Validates the event. */
    public DtmfEvent {
        if ("0123456789*#ABCDF".indexOf(digit) < 0) {
            throw new IllegalArgumentException("not a DTMF digit: " + digit);
        }
        if (startSample < 0 || durationSamples < 0) {
            throw new IllegalArgumentException("DTMF timing must be >= 0");
        }
    }
}
