package org.callrec.tapi.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "callrec: TAPI provider",
        description = "Call events from the PBX through the ShoreTel Remote Server's TAPI service provider (TSP).")
@interface TapiConfig {

    /** The original key name, kept so administrators recognise it (case-sensitive). */
    @AttributeDefinition(name = "EnableDnis",
            description = "Process DNIS (dialled number) sent by the PBX over TAPI: the called number on inbound "
                    + "external calls, the redirecting number after forwards.")
    boolean EnableDnis() default false;
}
