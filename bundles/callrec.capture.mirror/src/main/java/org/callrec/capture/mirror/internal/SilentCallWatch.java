package org.callrec.capture.mirror.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.callrec.api.health.Diagnosis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The field problem "users show OnPhone but nothing is recorded" (MISSION.md, 7): a connected call
 * of a recorded user whose phone has sent or received no RTP on the capture NIC after a few
 * seconds is diagnosed, naming extension, phone address, NIC and elapsed time with the likely
 * causes, and logged once per call.
 */
final class SilentCallWatch {

    private static final Logger LOG = LoggerFactory.getLogger(SilentCallWatch.class);
    static final List<String> CAUSES = List.of(
            "the switch's mirror port does not carry this phone's traffic to the capture NIC",
            "the user's Endpoint IP Address is not the phone's actual address",
            "the user is assigned to another recording server, whose capture sees the phone");

    /** One watched call. */
    record Watched(String callId, String extension, String phone, Instant connected, Supplier<Long> packets) {
    }

    private final Map<String, Watched> calls = new ConcurrentHashMap<>();
    private final Map<String, Boolean> logged = new ConcurrentHashMap<>();
    private final Duration grace;

    SilentCallWatch(Duration grace) {
        this.grace = grace;
    }

    // by call and extension: both sides of an internal call between recorded users share the call id
    void add(Watched w) {
        calls.put(key(w.callId(), w.extension()), w);
    }

    void remove(String callId, String extension) {
        calls.remove(key(callId, extension));
        logged.remove(key(callId, extension));
    }

    private static String key(String callId, String extension) {
        return callId + "\u0000" + extension;
    }

    /**
     * @param nic the capture NIC's name, for the message
     * @param now the time to judge by
     * @return a diagnosis for each call silent longer than the grace time
     */
    List<Diagnosis> diagnose(String nic, Instant now) {
        List<Diagnosis> out = new ArrayList<>();
        for (Watched w : calls.values()) {
            Duration silent = Duration.between(w.connected(), now);
            if (w.packets().get() == 0 && silent.compareTo(grace) >= 0) {
                String message = "call on ext " + w.extension() + " connected " + silent.toSeconds()
                        + " s ago, no RTP seen from " + w.phone() + " on the capture NIC "
                        + (nic == null || nic.isBlank() ? "(none configured)" : nic);
                out.add(new Diagnosis("ext " + w.extension(), message, CAUSES, w.connected()));
                if (logged.putIfAbsent(key(w.callId(), w.extension()), Boolean.TRUE) == null) {
                    LOG.warn("{}; likely: {}", message, String.join("; or ", CAUSES));
                }
            }
        }
        return out;
    }
}
