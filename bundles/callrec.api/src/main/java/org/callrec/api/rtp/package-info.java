/**
 * RTP payload formats, codec decoders and per-stream play-out into PCM.
 */
@Export
@Version("1.1.0")
package org.callrec.api.rtp;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
