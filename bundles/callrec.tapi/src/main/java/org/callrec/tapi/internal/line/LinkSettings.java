package org.callrec.tapi.internal.line;

import java.time.Duration;

/**
 * How the link pump watches and re-establishes the provider.
 *
 * @param appName name given to lineInitializeExW
 * @param pollInterval how long one lineGetMessage waits; also the status poll interval while silent
 * @param watchdogTimeout no message and failing status polls for this long: re-initialise
 * @param backoffInitial first reconnect delay (1 s)
 * @param backoffMax reconnect delay cap (60 s)
 */
public record LinkSettings(String appName, Duration pollInterval, Duration watchdogTimeout, Duration backoffInitial,
        Duration backoffMax) {

    /** The defaults the issue fixes: 1 s doubling to 60 s. */
    public static LinkSettings defaults(Duration watchdogTimeout) {
        return new LinkSettings("callrec", Duration.ofMillis(500), watchdogTimeout, Duration.ofSeconds(1),
                Duration.ofSeconds(60));
    }
}
