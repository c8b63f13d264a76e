package org.callrec.rtp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "callrec: RTP play-out",
        description = "How RTP packets are put back in order and on the call's clock before decoding.")
@interface PlayoutConfig {

    @AttributeDefinition(name = "Reorder window (ms)",
            description = "How long a packet may be late and still be played; later ones are counted late.",
            min = "20", max = "2000")
    int reorderWindowMillis() default 120;

    @AttributeDefinition(name = "Resynchronisation threshold (ms)",
            description = "A timestamp jump that differs from the arrival times by more than this starts the stream "
                    + "afresh on the arrival clock.", min = "200", max = "60000")
    int resyncThresholdMillis() default 1000;
}
