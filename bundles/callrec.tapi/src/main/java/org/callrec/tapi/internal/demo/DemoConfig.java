package org.callrec.tapi.internal.demo;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "callrec: demo traffic",
        description = "For `bin/callrec demo` only: sends the audio of the scripted PBX's calls as RTP on the "
                + "loopback interface, from each demo user's endpoint address, so the port-mirror capture records it.")
@interface DemoConfig {

    @AttributeDefinition(name = "Far end address", description = "Loopback address the other parties send from.")
    String farAddress() default "127.0.2.1";

    @AttributeDefinition(name = "First RTP port", description = "Even port; each call takes the next two pairs.")
    int firstPort() default 41000;
}
