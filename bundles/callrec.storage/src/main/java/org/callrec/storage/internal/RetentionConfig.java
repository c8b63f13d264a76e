package org.callrec.storage.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "callrec: recording retention",
        description = "Deletes recordings older than a number of days, except those on legal hold.")
@interface RetentionConfig {

    @AttributeDefinition(name = "Keep (days)", min = "0",
            description = "Recordings that started more than this many days ago are deleted; 0 = keep forever.")
    int retentionDays() default 0;

    @AttributeDefinition(name = "Sweep interval (minutes)", min = "1", description = "How often retention runs.")
    int sweepIntervalMinutes() default 60;
}
