package org.callrec.capture.mirror.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "callrec: port-mirror capture",
        description = "ShoreTel TAPI mode: RTP is sniffed off a NIC fed by a switch mirror port.")
@interface MirrorConfig {

    @AttributeDefinition(name = "Capture NIC", description = "Network interface the mirror port feeds, e.g. eth1")
    String captureInterface() default "";
}
