package org.callrec.storage.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "callrec: decoding of decode-pending recordings",
        description = "Recordings kept as raw codec payload (G.729 without libbcg729) are decoded into their WAV"
                + " once the codec is available; also on demand (console Recordings page, shell 'callrec:decodepending').")
@interface PendingDecodeConfig {

    @AttributeDefinition(name = "Check interval (s)", min = "5",
            description = "How often decode-pending recordings are looked for and decoded if their codec is available.")
    int checkSeconds() default 60;
}
