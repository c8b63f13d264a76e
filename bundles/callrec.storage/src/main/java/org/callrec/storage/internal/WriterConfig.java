package org.callrec.storage.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "callrec: recording writer",
        description = "Crash-safe WAV files under <callrec.data>/recordings/YYYY/MM/DD/<id>.wav.")
@interface WriterConfig {

    @AttributeDefinition(name = "Flush interval (ms)", min = "10", max = "1000",
            description = "How often audio is written to the file and the WAV header's sizes updated; at most this"
                    + " much audio (plus 250 ms hold-back for a lagging channel) is lost if the process dies.")
    long flushIntervalMillis() default 500;

    @AttributeDefinition(name = "Sync interval (ms)", min = "0",
            description = "How often files are forced to the disk (fsync), guarding against power loss; 0 = only on close.")
    long syncIntervalMillis() default 1000;

    @AttributeDefinition(name = "Minimum free space (MB)", min = "0",
            description = "Below this free space on the recordings' disk no recording starts, running ones close"
                    + " cleanly and the storage health check turns critical.")
    long minFreeMegabytes() default 500;

    @AttributeDefinition(name = "Catalog retry (s)", min = "1",
            description = "How often entries are pushed to the catalog database, and retried while it is unreachable.")
    int catalogRetrySeconds() default 5;
}
