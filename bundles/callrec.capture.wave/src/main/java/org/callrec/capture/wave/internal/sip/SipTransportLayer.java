package org.callrec.capture.wave.internal.sip;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * How the user agent's SIP messages travel (RFC 3261 section 18): UDP datagrams, or a TCP or TLS
 * stream per peer. The user agent above builds messages and runs transactions; this layer frames,
 * connects, reconnects and says where a message came from so that a response can go back the same
 * way (18.2.2).
 */
interface SipTransportLayer extends AutoCloseable {

    /** Where a received message came from; responses to it go back this way. */
    interface Flow {
        /**
         * @param message a whole SIP message
         * @throws IOException if it cannot be sent
         */
        void send(byte[] message) throws IOException;

        /** @return the peer, for logs */
        String peer();
    }

    /** What the layer hands up. Called from its receiving threads. */
    interface Inbound {
        /**
         * @param data a buffer holding exactly one message from offset to offset + length
         * @param offset first byte
         * @param length its length
         * @param from how to answer it
         */
        void message(byte[] data, int offset, int length, Flow from);

        /**
         * A stream that cannot be framed (no or a bad Content-Length): the connection is closed.
         *
         * @param peer the peer
         * @param why what is wrong
         */
        void unframeable(String peer, String why);
    }

    /** @return the Via transport token: UDP, TCP or TLS */
    String viaTransport();

    /** @return true for TCP and TLS: no retransmissions (17.1.1.2, 17.1.2.2) */
    boolean reliable();

    /** @return the bound local address (may be the wildcard) */
    InetAddress boundAddress();

    /**
     * @return the port to put in Via sent-by and Contact: where this agent receives (UDP socket,
     *         TCP listener), or -1 if it receives only on connections it opened (TLS)
     */
    int advertisedPort();

    /**
     * Starts receiving.
     *
     * @param inbound where messages go
     */
    void start(Inbound inbound);

    /**
     * Sends a message to a peer: a datagram, or on the connection to that peer, which is opened (or
     * opened again after it broke) as needed and reused for every later message to it.
     *
     * @param message a whole SIP message
     * @param peer where to
     * @throws IOException with a reason naming the peer, e.g. a TLS handshake failure and its cause
     */
    void send(byte[] message, InetSocketAddress peer) throws IOException;

    /** @return connections open now (0 for UDP) */
    int connections();

    @Override
    void close();
}
