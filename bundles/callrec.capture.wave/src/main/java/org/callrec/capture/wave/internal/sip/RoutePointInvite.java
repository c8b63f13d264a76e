package org.callrec.capture.wave.internal.sip;

/**
 * The SIP side of one Route Point call, as a state machine without I/O (RFC 3261 user agent client
 * of one INVITE dialog): INVITE, an optional digest challenge answered once, 1xx, 2xx with an SDP
 * answer, ACK, first RTP; then BYE from either side, or RTP that stops. Every failure ends with a
 * reason an administrator can act on. The SIP user agent ({@link RecorderUserAgent}) feeds it
 * responses, requests and a clock tick, and carries out what it asks through {@link Port}; its
 * transaction layer retransmits and ACKs non-2xx final responses, as RFC 3261 assigns that.
 *
 * <p>Not thread-safe: the adapter calls it from one thread (its event queue).
 */
public final class RoutePointInvite {

    /** States of the Route Point call. */
    public enum State {
        /** Not started. */
        IDLE,
        /** INVITE sent (with credentials after a challenge), no final response yet. */
        INVITING,
        /** 2xx received and ACKed; waiting for the first RTP packet. */
        ANSWERED,
        /** RTP flows. */
        STREAMING,
        /** The answer took too long: CANCEL sent, waiting for the INVITE to end. */
        CANCELLING,
        /** Over; {@link #endReason()} says why. */
        ENDED
    }

    /** What the state machine asks of the SIP stack and reports to the transport. */
    public interface Port {
        /**
         * Sends an INVITE with the offer in a new client transaction.
         *
         * @param cseq the CSeq number
         * @param authHeader null, {@code Authorization} or {@code Proxy-Authorization}
         * @param authValue the header's value, or null
         */
        void sendInvite(int cseq, String authHeader, String authValue);

        /** @param cseq ACK for the 2xx of this INVITE */
        void sendAck(int cseq);

        /** CANCELs the pending INVITE. */
        void sendCancel();

        /** Ends the dialog with BYE. */
        void sendBye();

        /**
         * The Route Point answered and its RTP is expected.
         *
         * @param answer the accepted SDP answer
         */
        void answered(RouteSdp.Answer answer);

        /** The first RTP packet arrived: the leg carries audio. */
        void streaming();

        /**
         * The Route Point call could not be established; nothing is left to release.
         *
         * @param reason why
         */
        void failed(String reason);

        /**
         * The established leg ended without us asking (BYE from the PBX, RTP stopped).
         *
         * @param reason why
         */
        void dropped(String reason);
    }

    private final String routePoint;
    private final String requestUri;
    private final SipRoutePointSettings settings;
    private final Port port;
    private final String cnonce;

    private State state = State.IDLE;
    private int cseq;
    private boolean authenticated;
    private long deadline;
    private long lastRtp;
    private String endReason;
    private boolean failAfterCancel;
    private boolean held;

    /**
     * @param routePoint the Route Point extension
     * @param requestUri the INVITE's request URI (sip:ext@pbx)
     * @param settings the SIP settings
     * @param cnonce client nonce for digest authentication
     * @param port the SIP stack and transport
     */
    public RoutePointInvite(String routePoint, String requestUri, SipRoutePointSettings settings, String cnonce,
            Port port) {
        this.routePoint = routePoint;
        this.requestUri = requestUri;
        this.settings = settings;
        this.cnonce = cnonce;
        this.port = port;
    }

    /** @return the state */
    public State state() {
        return state;
    }

    /** @return why it ended, or null while it has not */
    public String endReason() {
        return endReason;
    }

    /**
     * Sends the INVITE.
     *
     * @param now monotonic milliseconds
     */
    public void start(long now) {
        if (state != State.IDLE) {
            throw new IllegalStateException("already started: " + state);
        }
        state = State.INVITING;
        deadline = now + settings.answerTimeoutMillis();
        port.sendInvite(++cseq, null, null);
    }

    /**
     * A response to our INVITE.
     *
     * @param now monotonic milliseconds
     * @param status the status code
     * @param reasonPhrase its reason phrase
     * @param challenge WWW-Authenticate (401) or Proxy-Authenticate (407) value, else null
     * @param sdp the body, or null
     */
    public void response(long now, int status, String reasonPhrase, String challenge, String sdp) {
        String code = status + " " + reasonPhrase;
        if (status < 200) {
            return; // provisional: the answer timeout keeps running, as the Route Point may ring forever
        }
        if (state == State.CANCELLING) {
            if (status < 300) {
                port.sendAck(cseq);
                port.sendBye();
            }
            end(endReason, true);
            return;
        }
        if (state != State.INVITING) {
            if (status < 300 && (state == State.ANSWERED || state == State.STREAMING)) {
                port.sendAck(cseq); // a retransmitted 2xx: our ACK got lost
            }
            return;
        }
        if (status < 300) {
            port.sendAck(cseq);
            RouteSdp.Answer answer;
            try {
                answer = RouteSdp.parseAnswer(sdp == null ? "" : sdp);
            } catch (IllegalArgumentException e) {
                port.sendBye();
                end("Route Point " + routePoint + " answered with an unusable SDP: " + e.getMessage(), true);
                return;
            }
            state = State.ANSWERED;
            deadline = now + settings.firstRtpTimeoutMillis();
            port.answered(answer);
            return;
        }
        if ((status == 401 || status == 407) && challenge != null) {
            challenged(status, code, challenge);
            return;
        }
        end(refusal(status, code), true);
    }

    private void challenged(int status, String code, String challenge) {
        if (!settings.hasCredentials()) {
            end("the PBX demands digest authentication for Route Point " + routePoint + " (" + code
                    + ") but no SIP user and password are configured", true);
            return;
        }
        if (authenticated) {
            end("the PBX rejected the SIP credentials of user '" + settings.user() + "' for Route Point " + routePoint
                    + " (" + code + " again after answering its challenge)", true);
            return;
        }
        DigestAuth.Challenge c;
        try {
            c = DigestAuth.parse(challenge);
        } catch (IllegalArgumentException e) {
            end("the PBX's authentication challenge for Route Point " + routePoint + " cannot be answered: "
                    + e.getMessage(), true);
            return;
        }
        authenticated = true;
        String value = DigestAuth.authorization(c, "INVITE", requestUri, settings.user(), settings.password(), cnonce,
                "00000001");
        port.sendInvite(++cseq, status == 401 ? "Authorization" : "Proxy-Authorization", value);
    }

    /**
     * The INVITE could not be sent (TCP connection refused, TLS handshake failed).
     *
     * @param now monotonic milliseconds
     * @param reason what failed, naming the peer
     */
    public void transportFailed(long now, String reason) {
        if (state == State.INVITING || state == State.CANCELLING) {
            end("Route Point " + routePoint + " cannot be reached over " + settings.transport() + ": " + reason, true);
        }
    }

    /**
     * The PBX changed the session by re-INVITE: while it holds the call (it sends no audio) RTP
     * may stop without that counting as a drop; after it resumes, RTP has the silence timeout
     * again from now.
     *
     * @param now monotonic milliseconds
     * @param onHold true while the PBX sends no audio under the session's current offer
     */
    public void media(long now, boolean onHold) {
        if (held && !onHold) {
            lastRtp = now;
        }
        held = onHold;
    }

    /** @return true while the PBX holds the call */
    public boolean held() {
        return held;
    }

    private String refusal(int status, String code) {
        String rp = "Route Point " + routePoint;
        return switch (status) {
            case 404, 604 -> rp + " not found on the PBX (" + code + "): check ShoreTelTapiWaveRoutePointExtension";
            case 486, 600 -> rp + " busy (" + code + "): all its ports are in use";
            case 408, 480 -> rp + " did not answer (" + code + ")";
            case 403 -> rp + " refused the recorder (" + code + "): check the SIP user's permissions on the PBX";
            default -> rp + " refused the call (" + code + ")";
        };
    }

    /**
     * An RTP packet of the Route Point arrived.
     *
     * @param now monotonic milliseconds
     */
    public void rtp(long now) {
        lastRtp = now;
        if (state == State.ANSWERED) {
            state = State.STREAMING;
            port.streaming();
        }
    }

    /**
     * The PBX sent BYE in our dialog (the stack answers it with 200).
     *
     * @param now monotonic milliseconds
     */
    public void byeReceived(long now) {
        if (state == State.ANSWERED) {
            end("Route Point " + routePoint + " hung up (BYE) before sending any audio", true);
        } else if (state == State.STREAMING) {
            end("Route Point " + routePoint + " hung up (BYE)", false);
        }
    }

    /**
     * Time passes: answer, first-RTP and RTP-silence deadlines.
     *
     * @param now monotonic milliseconds
     */
    public void tick(long now) {
        switch (state) {
            case INVITING -> {
                if (now >= deadline) {
                    state = State.CANCELLING;
                    endReason = "Route Point " + routePoint + " did not answer within "
                            + settings.answerTimeoutMillis() / 1000 + " s (timeout)";
                    failAfterCancel = true;
                    deadline = now + 32_000; // 64*T1 for the INVITE transaction to end after CANCEL
                    port.sendCancel();
                }
            }
            case CANCELLING -> {
                if (now >= deadline) {
                    end(endReason, true);
                }
            }
            case ANSWERED -> {
                if (now >= deadline) {
                    port.sendBye();
                    end("no RTP from Route Point " + routePoint + " within " + settings.firstRtpTimeoutMillis() / 1000
                            + " s after it answered", true);
                }
            }
            case STREAMING -> {
                if (!held && now - lastRtp >= settings.rtpSilenceMillis()) {
                    port.sendBye();
                    end("RTP from Route Point " + routePoint + " stopped for " + settings.rtpSilenceMillis() / 1000
                            + " s", false);
                }
            }
            default -> {
            }
        }
    }

    /**
     * We end the call (the recorded call ended, or the session gave up).
     *
     * @param now monotonic milliseconds
     */
    public void hangUp(long now) {
        switch (state) {
            case IDLE -> end("not started", true);
            case INVITING -> {
                state = State.CANCELLING;
                endReason = "hung up by the recorder before the Route Point answered";
                failAfterCancel = true;
                deadline = now + 32_000;
                port.sendCancel();
            }
            case ANSWERED, STREAMING -> {
                port.sendBye();
                state = State.ENDED;
                endReason = "hung up by the recorder";
            }
            default -> {
            }
        }
    }

    private void end(String reason, boolean beforeAudio) {
        boolean wasStreaming = state == State.STREAMING;
        State before = state;
        state = State.ENDED;
        endReason = reason;
        if (before == State.CANCELLING && !failAfterCancel) {
            return;
        }
        if (beforeAudio && !wasStreaming) {
            port.failed(reason);
        } else {
            port.dropped(reason);
        }
    }
}
