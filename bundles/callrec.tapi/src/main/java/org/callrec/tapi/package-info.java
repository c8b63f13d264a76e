/**
 * Call control from the PBX: the TAPI provider (tapi32 through JNA on Windows) turning TAPI
 * messages into call events, with reconnect and a watchdog; a scripted PBX stands in on Linux.
 */
package org.callrec.tapi;
