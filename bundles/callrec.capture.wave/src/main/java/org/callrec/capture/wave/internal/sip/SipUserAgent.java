package org.callrec.capture.wave.internal.sip;

/**
 * The recorder's SIP user agent as the Route Point transport needs it: one INVITE dialog per Route
 * Point call toward the PBX. Implemented by {@link UdpSipUserAgent}; the transport above it is also
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
