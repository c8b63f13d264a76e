/**
 * The user directory: who is recorded, on which extensions and endpoint addresses, by which recording server.
 */
@Export
@Version("1.1.0")
package org.callrec.api.directory;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
