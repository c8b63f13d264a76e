package org.callrec.core.internal.mode;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "callrec: integration mode",
        description = "How audio reaches the recorder. Changing it starts the chosen mode's bundles and stops the others, without a restart.")
@interface ModeConfig {

    @AttributeDefinition(name = "Integration mode",
            description = "ShoreTel TAPI: RTP sniffed off a capture NIC fed by a mirror port (stereo). "
                    + "ShoreTel TAPI/Wave: the recorder calls a PBX Route Point that streams the call's audio (mono).",
            options = {
                @Option(label = "ShoreTel TAPI (port mirroring)", value = "shoretel-tapi"),
                @Option(label = "ShoreTel TAPI/Wave (Route Point)", value = "shoretel-tapi-wave")
            })
    String mode() default "shoretel-tapi";
}
