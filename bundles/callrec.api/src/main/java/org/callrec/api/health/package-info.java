/**
 * Health checks and self-diagnoses that the console and health endpoints show.
 */
@Export
@Version("1.0.0")
package org.callrec.api.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
