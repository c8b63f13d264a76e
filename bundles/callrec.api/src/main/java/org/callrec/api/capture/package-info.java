/**
 * Audio capture per integration mode: one capture session per recorded call.
 */
@Export
@Version("1.0.0")
package org.callrec.api.capture;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
