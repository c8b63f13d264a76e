package org.callrec.console.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "callrec: console login",
        description = "Who may use the web console. With no password hash here and no CALLREC_CONSOLE_PASSWORD in the "
                + "environment, a random password is generated on first start, printed once, and only its hash is kept "
                + "under data/console.")
@interface AuthConfig {

    @AttributeDefinition(name = "User name")
    String username() default "admin";

    @AttributeDefinition(name = "Password hash",
            description = "pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>; empty to use the environment or the "
                    + "generated password.")
    String passwordHash() default "";
}
