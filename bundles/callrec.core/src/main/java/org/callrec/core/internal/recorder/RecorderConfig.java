package org.callrec.core.internal.recorder;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "callrec: recorder",
        description = "Decides which calls this recording server records and drives the active mode's capture.")
@interface RecorderConfig {

    @AttributeDefinition(name = "Recording server name",
            description = "This server's name, matched against each user's recording server. Empty: the framework "
                    + "property callrec.server, else the host name.")
    String serverName() default "";
}
