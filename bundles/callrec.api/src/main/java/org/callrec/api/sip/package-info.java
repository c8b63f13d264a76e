/**
 * Passive SIP: the entry point through which a capture (port mirror, pcap file) hands the UDP and
 * TCP payloads it sees on SIP ports to the passive SIP call-control source.
 */
@Export
@Version("1.0.0")
package org.callrec.api.sip;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
