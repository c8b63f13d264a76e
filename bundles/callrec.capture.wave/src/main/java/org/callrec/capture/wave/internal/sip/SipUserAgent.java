package org.callrec.capture.wave.internal.sip;

/**
 * The recorder's SIP user agent as the Route Point transport needs it: one INVITE dialog per Route
 * Point call toward the PBX. Implemented by {@link RecorderUserAgent}; the transport above it is also
 * tested with a scripted SIP peer.
 */
public interface SipUserAgent {

    /**
     * One INVITE dialog in the stack. Methods send; they do not block on the network.
     */
    interface Call {
        /**
         * @param cseq CSeq
         * @param authHeader null, Authorization or Proxy-Authorization
         * @param authValue its value, or null
         */
        void sendInvite(int cseq, String authHeader, String authValue);

        /** @param cseq the INVITE's CSeq */
        void sendAck(int cseq);

        /** CANCELs the pending INVITE. */
        void sendCancel();

        /** Sends BYE in the dialog. */
        void sendBye();
    }

    /** What the stack reports for one dialog, in order. */
    interface Events {
        /**
         * @param status status code
         * @param reasonPhrase reason phrase
         * @param challenge WWW-Authenticate or Proxy-Authenticate value, or null
         * @param sdp body, or null
         */
        void response(int status, String reasonPhrase, String challenge, String sdp);

        /** The PBX sent BYE (the stack has answered it with 200 OK). */
        void byeReceived();

        /**
         * The INVITE could not be sent at all (TCP connection refused, TLS handshake failed): the
         * transaction is over (RFC 3261 17.1.4).
         *
         * @param reason what failed, naming the peer
         */
        default void transportFailed(String reason) {
            response(503, "Service Unavailable (" + reason + ")", null, null);
        }

        /**
         * The PBX re-INVITEd the established dialog with an offer (hold, resume, another codec).
         *
         * @param sdp the offer
         * @return our answer (RFC 3264), sent in the 200
         * @throws IllegalArgumentException if the offer cannot be accepted (488, the session goes on
         *         unchanged)
         */
        default String offerReceived(String sdp) {
            throw new IllegalArgumentException("this dialog does not accept re-INVITEs");
        }

        /**
         * The PBX re-INVITEd without an offer: ours goes in the 200, its answer in the ACK.
         *
         * @return our offer
         * @throws IllegalArgumentException if we cannot offer (488)
         */
        default String offerWanted() {
            throw new IllegalArgumentException("this dialog does not accept re-INVITEs");
        }

        /**
         * The answer to the offer we made in a 200 to an offerless re-INVITE (in the PBX's ACK).
         *
         * @param sdp the answer
         */
        default void answerReceived(String sdp) {
        }
    }

    /**
     * Creates a dialog; nothing is sent until {@link Call#sendInvite}.
     *
     * @param requestUri e.g. {@code sip:5999@10.0.0.1:5060;transport=udp}
     * @param sdpOffer the body of every INVITE of this dialog
     * @param events where responses and requests of the dialog go
     * @return the dialog
     */
    Call newCall(String requestUri, String sdpOffer, Events events);

    /** @return the local address the PBX sends media to (for the SDP c= line) */
    String localAddress();
}
