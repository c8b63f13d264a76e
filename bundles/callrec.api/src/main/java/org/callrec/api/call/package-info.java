/**
 * Call-control contracts: the call events every source (TAPI, scripted PBX, passive SIP) publishes, the whiteboard listener that receives them, and the state of a source's link to the PBX.
 * 1.1: {@link org.callrec.api.call.CapturePacedSource}, a source on a capture file's clock.
 */
@Export
@Version("1.1.0")
package org.callrec.api.call;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
