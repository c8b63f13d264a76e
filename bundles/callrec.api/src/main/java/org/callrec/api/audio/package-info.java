/**
 * Decoded audio on its way to storage: PCM sinks on the call's sample clock, gap markers and DTMF events.
 */
@Export
@Version("1.0.0")
package org.callrec.api.audio;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
