package org.callrec.rtp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "callrec: G.729 decoder",
        description = "G.729 Annex A/B is decoded by the operating system's bcg729 library (Debian: libbcg729-0; "
                + "Windows: bcg729.dll beside the runtime). Without it, G.729 audio is kept raw and decoded later.")
@interface G729Config {

    @AttributeDefinition(name = "Library", description = "Library name or full path of bcg729.")
    String library() default "";

    @AttributeDefinition(name = "Retry interval (s)",
            description = "How often a missing library is looked for again.", min = "1")
    int retrySeconds() default 30;
}
