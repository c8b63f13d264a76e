package org.callrec.core.internal.directory;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "callrec: user",
        description = "A PBX user. Only licensed users assigned to this recording server are recorded.")
@interface UserConfig {

    @AttributeDefinition(name = "Name")
    String name() default "";

    @AttributeDefinition(name = "Account", description = "Login or account name.")
    String account() default "";

    @AttributeDefinition(name = "Call Recording license")
    boolean licensed() default false;

    @AttributeDefinition(name = "Recording server",
            description = "Name of the recording server that records this user (this server's name is the framework "
                    + "property callrec.server, by default the host name).")
    String recordingServer() default "";

    @AttributeDefinition(name = "Extension", description = "The user's extension: digits only.")
    String extension();

    @AttributeDefinition(name = "Additional extensions", description = "Further extensions recorded for this user.")
    String[] additionalExtensions() default {};

    @AttributeDefinition(name = "Endpoint IP address", description = "IPv4 or IPv6 address of the user's phone.")
    String endpointIp() default "";
}
