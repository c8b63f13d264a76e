package org.callrec.sip.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "callrec: passive SIP",
        description = "Call events from SIP signalling seen in mirrored traffic (or a pcap): INVITE, responses, "
                + "ACK, BYE, CANCEL, hold re-INVITEs, with SDP media hints for the capture.")
@interface PassiveSipConfig {

    @AttributeDefinition(name = "Internal number pattern",
            description = "Regular expression both parties' numbers must match for a call to count as internal.")
    String internalNumberPattern() default "[0-9]{2,6}";

    @AttributeDefinition(name = "Dialogs kept", min = "16",
            description = "Upper bound of dialogs followed at once; the oldest (e.g. whose BYE was never seen) go first.")
    int maxDialogs() default 10000;
}
