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

    @AttributeDefinition(name = "Audio", description = "speech: sentences spoken by espeak-ng when it is installed "
            + "(a tone otherwise); tone: 440 Hz from the user, 660 Hz from the far end.",
            options = {
                @org.osgi.service.metatype.annotations.Option(label = "Speech (espeak-ng)", value = "speech"),
                @org.osgi.service.metatype.annotations.Option(label = "Tones", value = "tone")
            })
    String audio() default "speech";
}
