/**
 * High availability: this node's role and whether it is the active recorder.
 */
@Export
@Version("1.0.0")
package org.callrec.api.ha;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
