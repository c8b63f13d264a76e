/**
 * Integration modes (ShoreTel TAPI, ShoreTel TAPI/Wave) and the controller that activates each mode's bundle set.
 */
@Export
@Version("1.0.0")
package org.callrec.api.mode;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
