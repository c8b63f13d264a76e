/**
 * The recorder's decision for each call and the live view of users' calls.
 */
@Export
@Version("1.0.0")
package org.callrec.api.recorder;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
