package org.callrec.api.mode;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How audio reaches the recorder (MISSION.md): port mirroring or a PBX Route Point. */
public enum IntegrationMode {
    /** "ShoreTel TAPI": TAPI call events, RTP sniffed off a capture NIC fed by a mirror port; stereo. */
    SHORETEL_TAPI("shoretel-tapi", "ShoreTel TAPI (port mirroring)"),
    /** "ShoreTel TAPI/Wave": TAPI call events, audio from a call to a PBX Route Point; mono. */
    SHORETEL_TAPI_WAVE("shoretel-tapi-wave", "ShoreTel TAPI/Wave (Route Point)");

    /** Name of the bundle capability a mode's bundles provide ({@code Provide-Capability: callrec.mode;callrec.mode=<id>}). */
    public static final String CAPABILITY_NAMESPACE = "callrec.mode";

    /** Service property naming the mode a mode-specific service belongs to. */
    public static final String SERVICE_PROPERTY = "callrec.mode";

    private final String id;
    private final String label;

    IntegrationMode(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /** @return the id used in configuration and capabilities */
    public String id() {
        return id;
    }

    /** @return the name administrators see */
    public String label() {
        return label;
    }

    /**
     * Looks a mode up by id.
     *
     * @param id a mode id
     * @return the mode
     * @throws IllegalArgumentException naming the valid ids if there is no such mode
     */
    public static IntegrationMode fromId(String id) {
        for (IntegrationMode m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown integration mode '" + id + "'; valid: "
                + Arrays.stream(values()).map(IntegrationMode::id).collect(Collectors.joining(", ")));
    }
}
