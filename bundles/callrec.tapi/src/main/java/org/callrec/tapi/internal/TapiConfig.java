package org.callrec.tapi.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "callrec: TAPI provider",
        description = "Call events from the PBX through the ShoreTel Remote Server's TAPI service provider (TSP), "
                + "or from the scripted PBX that stands in for it on Linux, in tests and in the demo.")
@interface TapiConfig {

    /** The original key name, kept so administrators recognise it (case-sensitive). */
    @AttributeDefinition(name = "EnableDnis",
            description = "Process DNIS (dialled number) sent by the PBX over TAPI: the called number on inbound "
                    + "external calls, the redirecting number after forwards.")
    boolean EnableDnis() default false;

    @AttributeDefinition(name = "Provider",
            description = "tapi32: the real TSP through tapi32.dll (Windows only). scripted: the scripted PBX, "
                    + "which replays the shipped TAPI scenarios (Linux, tests, demo).",
            options = {
                @Option(label = "tapi32 (Windows, ShoreTel TSP)", value = "tapi32"),
                @Option(label = "Scripted PBX", value = "scripted")
            })
    String provider() default "tapi32";

    @AttributeDefinition(name = "Scripted scenarios",
            description = "Scenarios the scripted PBX plays, in order: names of the files shipped in the bundle, or"
                    + " paths of scenario files (ending in .json).")
    String[] scriptedScenarios() default {"inbound-external-answered", "outbound-external", "internal-call",
        "hold-resume", "blind-transfer", "consultative-transfer", "conference-fourth-party",
        "findme-forward-extension", "findme-forward-external"};

    @AttributeDefinition(name = "Scripted PBX loops",
            description = "Start the scenarios over when the last one ended (with fresh call ids).")
    boolean scriptedLoop() default true;

    @AttributeDefinition(name = "Scripted PBX clock",
            description = "wall: steps are paced in real time. capture: one scenario is played on a capture file's"
                    + " clock as callrec import --scenario reads the file (set by that command, not for a running"
                    + " recorder).",
            options = {
                @Option(label = "Wall clock", value = "wall"),
                @Option(label = "Capture file's clock (import)", value = "capture")
            })
    String scriptedClock() default "wall";

    @AttributeDefinition(name = "Watchdog (s)",
            description = "Re-initialise the provider when it sent no message and failed every status poll for "
                    + "this long (the TSP went silent).", min = "2")
    int watchdogSeconds() default 60;

    @AttributeDefinition(name = "Internal number pattern",
            description = "Regular expression a far number must match to count as internal (an extension) when "
                    + "TAPI reports only inbound/outbound.")
    String internalNumberPattern() default "[0-9]{2,6}";
}
