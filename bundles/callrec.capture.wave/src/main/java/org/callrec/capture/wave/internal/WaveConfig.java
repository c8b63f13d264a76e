package org.callrec.capture.wave.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Original key names (case-sensitive) so the original file's values map one to one; the rest are ours. */
@ObjectClassDefinition(name = "callrec: TAPI/Wave capture",
        description = "ShoreTel TAPI/Wave mode: the recorder calls a PBX Route Point that streams the call's audio.")
@interface WaveConfig {

    @AttributeDefinition(name = "ShoreTelTapiWaveRoutePointExtension",
            description = "Route Point extension the recorder calls to get audio; required in this mode.")
    String ShoreTelTapiWaveRoutePointExtension() default "";

    @AttributeDefinition(name = "TapiWaveBuffersPerDevice",
            description = "Audio buffers per recording: an integer greater than 1; values above 8 give no gain.",
            min = "2")
    int TapiWaveBuffersPerDevice() default 4;

    @AttributeDefinition(name = "Most Route Point sessions",
            description = "Concurrent Route Point recordings allowed; the PBX allows 200 per Remote Server. A call "
                    + "beyond that is refused with 'capacity reached'.", min = "1")
    int maxRoutePointSessions() default 200;

    @AttributeDefinition(name = "System conference extensions",
            description = "The PBX's system conference extensions, e.g. '800, 801, 7000-7099'. A CONFERENCED event "
                    + "whose connected party (else called party) is one of them means a 4th party joined: the "
                    + "Route Point audio ends with that status. Empty: 4th parties are not recognised.")
    String systemConferenceExtensions() default "";

    @AttributeDefinition(name = "Route Point re-dial attempts",
            description = "How often a Route Point that drops during a call is called again (a gap marker covers "
                    + "the time it was away); 0 ends the audio at the first drop.", min = "0")
    int routePointRedialAttempts() default 3;

    @AttributeDefinition(name = "Route Point re-dial delay (ms)",
            description = "Pause before each re-dial.", min = "0")
    long routePointRedialDelayMillis() default 1000;

    @AttributeDefinition(name = "Transport",
            description = "How the Route Point's audio is reached: winmm (TAPI + Wave, Windows), sip (SIP/RTP), or "
                    + "auto (winmm where winmm.dll exists, else sip).",
            options = {@Option(label = "auto", value = "auto"), @Option(label = "winmm (Windows)", value = "winmm"),
                    @Option(label = "sip", value = "sip")})
    String transport() default "auto";
}
