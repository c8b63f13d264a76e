/**
 * The original product's service settings (the six keys of its {@code <Tapi />} section): one
 * validation, used by the configuration import and by the console's forms alike.
 */
@Export
@Version("1.0.0")
package org.callrec.api.settings;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
