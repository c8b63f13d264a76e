/**
 * Primary/secondary pairing for TAPI/Wave: authenticated UDP heartbeats from the primary, takeover
 * by the secondary when they stop, explicit failback.
 */
package org.callrec.ha;
