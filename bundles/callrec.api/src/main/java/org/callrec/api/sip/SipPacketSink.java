package org.callrec.api.sip;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Takes raw transport payloads that may carry SIP, as a capture sees them, and turns them into call
 * events. Registered by the passive SIP source; a capture calls it for every UDP datagram and every
 * TCP segment on the SIP ports. Malformed or non-SIP payloads are counted and skipped, never thrown.
 */
@ProviderType
public interface SipPacketSink {

    /** Transport the payload arrived on. */
    enum Transport {
        /** One UDP datagram: exactly one SIP message. */
        UDP,
        /** One TCP segment: zero or more whole SIP messages (framed by Content-Length). */
        TCP
    }

    /**
     * Offers one payload.
     *
     * @param transport UDP or TCP
     * @param source sender address and port
     * @param destination receiver address and port
     * @param time when the packet was captured
     * @param payload the transport payload (position to limit); not retained after the call
     */
    void onPayload(Transport transport, InetSocketAddress source, InetSocketAddress destination, Instant time,
            ByteBuffer payload);
}
