package org.callrec.capture.wave.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Original key names (case-sensitive) so the original file's values map one to one. */
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
}
