package org.callrec.tapi.internal;

import java.time.Instant;

import org.callrec.api.call.CapturePacedSource;
import org.callrec.tapi.internal.scripted.ScriptedPbx;

/**
 * The scripted PBX on a capture file's clock, as the service {@code callrec import --scenario}
 * drives. Registered even when the scenario could not be loaded, so the import learns why at once
 * (from {@link #begin}) instead of waiting for a service that never comes.
 *
 * @param scenario what the configuration named (file or shipped name), for messages
 * @param pbx the PBX playing it, or null when it could not be loaded
 * @param problem why it cannot be played, or null
 */
record ScenarioPacing(String scenario, ScriptedPbx pbx, String problem) implements CapturePacedSource {

    @Override
    public String begin(Instant firstPacket) {
        if (pbx == null) {
            throw new IllegalArgumentException(problem);
        }
        try {
            return pbx.begin(firstPacket);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(named(e.getMessage()), e);
        }
    }

    @Override
    public void advanceTo(Instant captureTime) {
        pbx.advanceTo(captureTime);
    }

    @Override
    public int finish(Instant lastPacket) {
        return pbx.finish(lastPacket);
    }

    private String named(String message) {
        return message.startsWith("scenario file ") ? message : "scenario file " + scenario + ": " + message;
    }
}
