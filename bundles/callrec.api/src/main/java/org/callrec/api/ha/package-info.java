/**
 * High availability: this node's role, whether it is the active recorder, which calls it holds,
 * and the events it announces (whiteboard {@link org.callrec.api.ha.HaListener}).
 */
@Export
@Version("1.1.0")
package org.callrec.api.ha;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
