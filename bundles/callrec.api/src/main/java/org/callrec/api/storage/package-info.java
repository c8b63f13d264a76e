/**
 * Recordings on disk and in the catalog: the writer used while a call is recorded and the catalog queried afterwards.
 */
@Export
@Version("1.3.0")
package org.callrec.api.storage;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
