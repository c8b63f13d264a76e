package org.callrec.capture.wave.internal.sip;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder's SIP user agent (RFC 3261) over UDP, TCP or TLS: the client side of one INVITE
 * dialog per Route Point call, with the transaction layer the state machine above leaves to the
 * stack: retransmission of requests over UDP (Timer A/B for INVITE, E/F for BYE and CANCEL; over
 * TCP and TLS only Timers B and F), the ACK of non-2xx final responses, CANCEL only after a
 * provisional response (section 9.1), 200 to the PBX's BYE, the PBX's re-INVITEs (hold, resume,
 * codec change: answered per RFC 3264 by the dialog's owner, the 200 retransmitted over UDP until
 * the ACK), and the dialog's remote target and route set from the 2xx. Written here rather than over
 * callrec.sip's passive parser: a UAC needs a dozen headers, and a shared API package for them would
 * couple two bundles for little code.
 *
 * <p>Every request goes to the PBX address the dialog was created with (it is the Route Point's
 * registrar and proxy); the PBX address may change for later dialogs ({@link #retarget}) while
 * earlier ones go on. Responses and requests are matched to dialogs by Call-ID.
 */
public final class RecorderUserAgent implements SipUserAgent, AutoCloseable {

    /** RFC 3261 T1 and T2 (ms). */
    static final long T1 = 500;
    static final long T2 = 4000;

    private static final Logger LOG = LoggerFactory.getLogger(RecorderUserAgent.class);

    private final SipTransportLayer transport;
    private final String advertised;
    private final String scheme;
    private final ScheduledExecutorService timers;
    private final Map<String, Dialog> dialogs = new ConcurrentHashMap<>();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong retransmissions = new AtomicLong();
    private final AtomicLong transportErrors = new AtomicLong();
    private final AtomicLong reinvites = new AtomicLong();
    private volatile InetSocketAddress pbx;
    private volatile String fromUser;
    private volatile boolean closed;

    /**
     * A UDP user agent.
     *
     * @param bind local SIP address and port (port 0: any)
     * @param advertisedAddress address put in Via, Contact and the SDP; null or empty: the local
     *        address the route to the PBX uses
     * @param pbx the PBX's SIP address
     * @param fromUser the user part of From and Contact (the digest user, or "callrec")
     * @throws SocketException if the SIP port cannot be bound
     */
    public RecorderUserAgent(InetSocketAddress bind, String advertisedAddress, InetSocketAddress pbx, String fromUser)
            throws IOException {
        this(transport("udp", bind, null), advertisedAddress, pbx, fromUser);
    }

    /**
     * @param transport udp, tcp or tls
     * @param bind local SIP address and port (port 0: any)
     * @param tls the TLS trust (tls only)
     * @param advertisedAddress address put in Via, Contact and the SDP; null or empty: the local
     *        address the route to the PBX uses
     * @param pbx the PBX's SIP address
     * @param fromUser the user part of From and Contact
     * @throws IOException if the SIP port cannot be bound or the PBX address is unresolved
     */
    public RecorderUserAgent(String transport, InetSocketAddress bind, SipTls tls, String advertisedAddress,
            InetSocketAddress pbx, String fromUser) throws IOException {
        this(transport(transport, bind, tls), advertisedAddress, pbx, fromUser);
    }

    private static SipTransportLayer transport(String name, InetSocketAddress bind, SipTls tls) throws IOException {
        return switch (name) {
            case "udp" -> new UdpSipTransport(bind);
            case "tcp" -> new StreamSipTransport(bind, null);
            case "tls" -> new StreamSipTransport(bind, java.util.Objects.requireNonNull(tls, "tls"));
            default -> throw new IllegalArgumentException("sipTransport=" + name + " is not allowed: udp, tcp or tls");
        };
    }

    private RecorderUserAgent(SipTransportLayer transport, String advertisedAddress, InetSocketAddress pbx,
            String fromUser) throws IOException {
        if (pbx.isUnresolved()) {
            transport.close();
            throw new SocketException("sipPbxAddress " + pbx.getHostString() + " cannot be resolved");
        }
        this.transport = transport;
        this.pbx = pbx;
        this.fromUser = user(fromUser);
        this.scheme = "TLS".equals(transport.viaTransport()) ? "sips" : "sip";
        String adv = advertisedAddress == null ? "" : advertisedAddress.trim();
        if (adv.isEmpty()) {
            try {
                adv = transport.boundAddress().isAnyLocalAddress() ? routeTo(pbx.getAddress())
                        : transport.boundAddress().getHostAddress();
            } catch (IOException | RuntimeException e) {
                transport.close(); // bound already: a fixed sipLocalPort must be free for the next try
                throw e;
            }
        }
        this.advertised = adv;
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "callrec-sip-ua-timers");
            t.setDaemon(true);
            return t;
        });
        transport.start(new SipTransportLayer.Inbound() {
            @Override
            public void message(byte[] data, int offset, int length, SipTransportLayer.Flow from) {
                received(data, offset, length, from);
            }

            @Override
            public void unframeable(String peer, String why) {
                malformed.incrementAndGet();
                LOG.warn("SIP user agent: the stream from {} cannot be framed ({}): connection closed", peer, why);
            }
        });
    }

    private static String user(String u) {
        return u == null || u.isBlank() ? "callrec" : u;
    }

    private static String routeTo(InetAddress peer) throws SocketException {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(peer, 9); // no packet is sent; the kernel picks the source address of that route
            return probe.getLocalAddress().getHostAddress();
        }
    }

    /**
     * New dialogs go to this PBX as this user; dialogs in progress keep theirs.
     *
     * @param newPbx the PBX's SIP address
     * @param newFromUser the From user
     */
    public void retarget(InetSocketAddress newPbx, String newFromUser) {
        this.pbx = newPbx;
        this.fromUser = user(newFromUser);
    }

    @Override
    public String localAddress() {
        return advertised;
    }

    /** @return the local SIP port advertised (UDP socket, TCP listener), or -1 (TLS: only our own connections) */
    public int localPort() {
        return transport.advertisedPort();
    }

    /** @return udp, tcp or tls */
    public String transportName() {
        return transport.viaTransport().toLowerCase(Locale.ROOT);
    }

    /** @return the URI scheme: sips over TLS (RFC 3261 26.2, RFC 5630), else sip */
    public String scheme() {
        return scheme;
    }

    /** @return open TCP/TLS connections */
    public int connections() {
        return transport.connections();
    }

    /** @return SIP messages that could not be parsed (each logged with what is wrong) */
    public long malformed() {
        return malformed.get();
    }

    /** @return requests sent again because no response came in time */
    public long retransmissions() {
        return retransmissions.get();
    }

    /** @return requests that could not be sent (connection or TLS handshake failed) */
    public long transportErrors() {
        return transportErrors.get();
    }

    /** @return re-INVITEs of the PBX answered */
    public long reinvites() {
        return reinvites.get();
    }

    /** @return dialogs still held (their transactions or a BYE still pending) */
    public int dialogs() {
        return dialogs.size();
    }

    /** @return true once closed */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public Call newCall(String requestUri, String sdpOffer, Events events) {
        if (closed) {
            throw new IllegalStateException("the SIP user agent is closed");
        }
        Dialog d = new Dialog(requestUri, sdpOffer, events, pbx, fromUser);
        dialogs.put(d.callId, d);
        return d;
    }

    @Override
    public void close() {
        closed = true;
        transport.close();
        timers.shutdownNow();
    }

    private void received(byte[] data, int offset, int length, SipTransportLayer.Flow from) {
        SipMessage m;
        try {
            m = SipMessage.parse(data, offset, length);
        } catch (IllegalArgumentException e) {
            malformed.incrementAndGet();
            LOG.warn("SIP user agent: malformed message from {} ignored: {}", from.peer(), e.getMessage());
            return;
        }
        try {
            if (m.isResponse()) {
                Dialog d = dialogs.get(m.header("Call-ID").trim());
                if (d != null) {
                    d.response(m);
                }
            } else {
                request(m, from);
            }
        } catch (RuntimeException e) {
            malformed.incrementAndGet();
            LOG.warn("SIP user agent: message from {} not handled: {}", from.peer(), e.toString());
        }
    }

    private void request(SipMessage m, SipTransportLayer.Flow from) {
        String method = m.method();
        Dialog d = dialogs.get(m.header("Call-ID").trim());
        if ("ACK".equals(method)) {
            if (d != null) {
                d.ackReceived(m);
            }
            return;
        }
        switch (method) {
            case "BYE" -> {
                if (d == null) {
                    respond(m, from, "481 Call/Transaction Does Not Exist", null);
                } else {
                    respond(m, from, "200 OK", null);
                    d.byeReceived();
                }
            }
            case "OPTIONS" -> respond(m, from, "200 OK", null);
            case "INVITE" -> {
                if (d == null || !d.inDialog(m)) {
                    respond(m, from, "481 Call/Transaction Does Not Exist", null);
                } else {
                    d.reinvite(m, from);
                }
            }
            case "CANCEL" -> respond(m, from, "481 Call/Transaction Does Not Exist", null);
            default -> respond(m, from, "405 Method Not Allowed", null);
        }
    }

    /** A response to a request of the PBX, sent back the way it came (RFC 3581 for UDP, 18.2.2). */
    private byte[] respond(SipMessage req, SipTransportLayer.Flow to, String status, String extra) {
        StringBuilder b = new StringBuilder("SIP/2.0 ").append(status).append("\r\n");
        for (Map.Entry<String, String> h : req.headers()) {
            String n = h.getKey();
            if (n.equalsIgnoreCase("Via") || n.equalsIgnoreCase("From") || n.equalsIgnoreCase("Call-ID")
                    || n.equalsIgnoreCase("CSeq")) {
                b.append(n).append(": ").append(h.getValue()).append("\r\n");
            } else if (n.equalsIgnoreCase("To")) {
                String toValue = h.getValue();
                if (SipMessage.tag(toValue) == null && !status.startsWith("1")) {
                    toValue = toValue + ";tag=" + token();
                }
                b.append("To: ").append(toValue).append("\r\n");
            }
        }
        if (status.startsWith("405")) {
            b.append("Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n");
        }
        b.append("User-Agent: callrec\r\n");
        if (extra != null) {
            b.append(extra);
        } else {
            b.append("Content-Length: 0\r\n\r\n");
        }
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        reply(bytes, to);
        return bytes;
    }

    private void reply(byte[] bytes, SipTransportLayer.Flow to) {
        try {
            to.send(bytes);
        } catch (IOException e) {
            if (!closed) {
                LOG.warn("SIP user agent: response to {} not sent: {}", to.peer(), e.toString());
            }
        }
    }

    private static String token() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    private String hostPort() {
        String h = advertised.contains(":") ? "[" + advertised + "]" : advertised;
        int port = transport.advertisedPort();
        return port < 0 ? h : h + ":" + port;
    }

    private String via(String branch) {
        // rport asks for the response at our source port (RFC 3581, UDP); alias lets the PBX reuse our
        // connection for its requests (RFC 5923, TCP and TLS)
        return "Via: SIP/2.0/" + transport.viaTransport() + " " + hostPort() + ";branch=" + branch
                + (transport.reliable() ? ";alias" : ";rport") + "\r\n";
    }

    private String contact(String user) {
        String params = "TCP".equals(transport.viaTransport()) ? ";transport=tcp" : "";
        return "Contact: <" + scheme + ":" + user + "@" + hostPort() + params + ">\r\n";
    }

    /** A client transaction: the request, its retransmission schedule and its end (RFC 3261 17.1). */
    private final class ClientTransaction {
        final String label;
        final byte[] bytes;
        final boolean invite;
        final InetSocketAddress peer;
        final long started = System.nanoTime();
        final Runnable onTimeout;
        final java.util.function.Consumer<String> onTransportError;
        long interval = T1;
        boolean proceeding;
        boolean done;
        ScheduledFuture<?> next;

        ClientTransaction(String label, byte[] bytes, boolean invite, InetSocketAddress peer, Runnable onTimeout,
                java.util.function.Consumer<String> onTransportError) {
            this.label = label;
            this.bytes = bytes;
            this.invite = invite;
            this.peer = peer;
            this.onTimeout = onTimeout;
            this.onTransportError = onTransportError;
        }

        void start() {
            // over TCP/TLS the one timer is B (INVITE) or F (others): 64*T1 without a final response
            if (transport.reliable()) {
                interval = 64 * T1;
            }
            schedule();
            String error = send(bytes, peer);
            if (error != null && transport.reliable()) {
                // 17.1.4: a transport failure ends the transaction and is reported to its user
                if (complete()) {
                    transportErrors.incrementAndGet();
                    onTransportError.accept(error);
                }
            }
        }

        private void schedule() {
            try {
                next = timers.schedule(this::fire, interval, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // the user agent is closed
            }
        }

        private void fire() {
            synchronized (this) {
                if (done || (invite && proceeding)) {
                    // a proceeding INVITE waits for its final response without timers (17.1.1.2);
                    // the Route Point's answer timeout (CANCEL) bounds it
                    return;
                }
                if (System.nanoTime() - started >= 64 * T1 * 1_000_000 - 1_000_000) { // Timer B / Timer F
                    done = true;
                } else {
                    retransmissions.incrementAndGet();
                    send(bytes, peer);
                    interval = invite ? interval * 2 : Math.min(interval * 2, T2);
                    if (!invite && proceeding) {
                        interval = T2;
                    }
                    schedule();
                    return;
                }
            }
            LOG.debug("SIP user agent: {} got no final response within {} ms", label, 64 * T1);
            onTimeout.run();
        }

        synchronized void provisional() {
            proceeding = true;
        }

        /** @return true the first time: the transaction has completed */
        synchronized boolean complete() {
            if (done) {
                return false;
            }
            done = true;
            if (next != null) {
                next.cancel(false);
            }
            return true;
        }
    }

    /** @return null if sent, else why not */
    private String send(byte[] bytes, InetSocketAddress to) {
        try {
            transport.send(bytes, to);
            return null;
        } catch (IOException e) {
            // UDP: a lost send is retransmitted by its transaction, or the state machine's timers end the call
            if (!closed && !transport.reliable()) {
                LOG.warn("SIP user agent: send to {} failed: {}", to, e.toString());
            }
            return e.getMessage();
        }
    }

    /** One INVITE dialog toward the Route Point. */
    private final class Dialog implements Call {
        final String callId = token() + "@callrec";
        final String fromTag = token();
        final String requestUri;
        final String offer;
        final Events events;
        final InetSocketAddress peer;
        final String user;
        private final Set<Integer> reportedFinals = new HashSet<>();
        private int inviteCseq;
        private int maxCseq;
        private String inviteBranch;
        private ClientTransaction inviteTx;
        private boolean inviteFinal;
        private boolean provisional;
        private boolean cancelWanted;
        private String remoteTag;
        private String remoteTarget;
        private List<String> routeSet = List.of();
        private ClientTransaction byeTx;
        private boolean byeReceived;
        private ClientTransaction cancelTx;
        // the PBX's re-INVITE (server transaction of the UAS core, 13.3 and 14.2)
        private int remoteCseq = -1;
        private String reinviteBranch;
        private byte[] reinviteResponse;
        private SipTransportLayer.Flow reinviteFlow;
        private boolean reinviteAcked = true;
        private boolean reinviteOfferedByUs;
        private ScheduledFuture<?> reinviteRetransmit;

        Dialog(String requestUri, String offer, Events events, InetSocketAddress peer, String user) {
            this.requestUri = requestUri;
            this.offer = offer;
            this.events = events;
            this.peer = peer;
            this.user = user;
        }

        private String to(String uri) {
            return uri.substring(0, uri.indexOf(';') < 0 ? uri.length() : uri.indexOf(';'));
        }

        private String from() {
            return "From: <" + scheme + ":" + user + "@" + peer.getHostString() + ">;tag=" + fromTag + "\r\n";
        }

        private StringBuilder request(String method, String uri, String branch, int cseq, String cseqMethod,
                boolean withTag, boolean withRoutes) {
            StringBuilder b = new StringBuilder();
            b.append(method).append(' ').append(uri).append(" SIP/2.0\r\n");
            b.append(via(branch));
            b.append("Max-Forwards: 70\r\n");
            if (withRoutes) {
                for (String r : routeSet) {
                    b.append("Route: ").append(r).append("\r\n");
                }
            }
            b.append(from());
            b.append("To: <").append(to(requestUri)).append('>');
            if (withTag && remoteTag != null) {
                b.append(";tag=").append(remoteTag);
            }
            b.append("\r\n");
            b.append("Call-ID: ").append(callId).append("\r\n");
            b.append("CSeq: ").append(cseq).append(' ').append(cseqMethod).append("\r\n");
            b.append("User-Agent: callrec\r\n");
            return b;
        }

        private byte[] finish(StringBuilder b, String contentType, String body) {
            if (body == null || body.isEmpty()) {
                b.append("Content-Length: 0\r\n\r\n");
            } else {
                byte[] bb = body.getBytes(StandardCharsets.UTF_8);
                b.append("Content-Type: ").append(contentType).append("\r\n");
                b.append("Content-Length: ").append(bb.length).append("\r\n\r\n").append(body);
            }
            return b.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public synchronized void sendInvite(int cseq, String authHeader, String authValue) {
            if (inviteTx != null) {
                inviteTx.complete();
            }
            inviteCseq = cseq;
            maxCseq = Math.max(maxCseq, cseq);
            inviteBranch = "z9hG4bK" + token();
            inviteFinal = false;
            provisional = false;
            StringBuilder b = request("INVITE", requestUri, inviteBranch, cseq, "INVITE", false, false);
            b.append(contact(user));
            b.append("Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n");
            if (authHeader != null) {
                b.append(authHeader).append(": ").append(authValue).append("\r\n");
            }
            int sent = cseq;
            ClientTransaction tx = new ClientTransaction("INVITE " + requestUri, finish(b, "application/sdp", offer),
                    true, peer, () -> inviteTimedOut(sent), reason -> inviteNotSent(sent, reason));
            inviteTx = tx;
            tx.start();
        }

        private void inviteTimedOut(int cseq) {
            synchronized (this) {
                if (cseq != inviteCseq || inviteFinal) {
                    return;
                }
                inviteFinal = true;
            }
            events.response(408, "Request Timeout (no response from the PBX within " + 64 * T1 / 1000
                    + " s)", null, null);
            lingerThenForget();
        }

        private void inviteNotSent(int cseq, String reason) {
            synchronized (this) {
                if (cseq != inviteCseq || inviteFinal) {
                    return;
                }
                inviteFinal = true;
            }
            events.transportFailed(reason);
            forget();
        }

        @Override
        public synchronized void sendAck(int cseq) {
            // ACK of a 2xx: its own transaction, to the remote target along the route set (13.2.2.4)
            StringBuilder b = request("ACK", remoteTarget == null ? requestUri : remoteTarget, "z9hG4bK" + token(),
                    cseq, "ACK", true, true);
            send(finish(b, null, null), peer);
        }

        @Override
        public synchronized void sendCancel() {
            if (inviteFinal || cancelTx != null) {
                return;
            }
            if (!provisional) {
                cancelWanted = true; // 9.1: a CANCEL waits for a provisional response; Timer B ends it otherwise
                return;
            }
            StringBuilder b = request("CANCEL", requestUri, inviteBranch, inviteCseq, "CANCEL", false, false);
            cancelTx = new ClientTransaction("CANCEL " + requestUri, finish(b, null, null), false, peer, () -> {
            }, reason -> {
            });
            cancelTx.start();
        }

        @Override
        public synchronized void sendBye() {
            if (remoteTag == null || byeTx != null || byeReceived) {
                return; // no dialog (no 2xx), or it is already ending
            }
            stopReinviteRetransmit();
            int cseq = ++maxCseq;
            StringBuilder b = request("BYE", remoteTarget == null ? requestUri : remoteTarget, "z9hG4bK" + token(),
                    cseq, "BYE", true, true);
            byeTx = new ClientTransaction("BYE " + requestUri, finish(b, null, null), false, peer, this::forget,
                    reason -> {
                        LOG.warn("SIP user agent: BYE of {} not sent: {}", requestUri, reason);
                        forget();
                    });
            byeTx.start();
        }

        void response(SipMessage m) {
            int status = m.status();
            String method = m.cseqMethod();
            int cseq = m.cseq();
            boolean report = false;
            synchronized (this) {
                switch (method) {
                    case "INVITE" -> {
                        if (status < 200) {
                            if (cseq == inviteCseq && !inviteFinal) {
                                provisional = true;
                                inviteTx.provisional();
                                if (cancelWanted) {
                                    cancelWanted = false;
                                    sendCancel();
                                }
                                report = true;
                            }
                        } else if (status < 300) {
                            if (cseq == inviteCseq) {
                                inviteFinal = true;
                                inviteTx.complete();
                                if (remoteTag == null) {
                                    remoteTag = SipMessage.tag(m.header("To"));
                                    String contact = m.header("Contact");
                                    remoteTarget = contact == null ? null : SipMessage.uri(contact);
                                    List<String> rr = new ArrayList<>(m.headerValues("Record-Route"));
                                    java.util.Collections.reverse(rr);
                                    routeSet = rr.stream().filter(s -> !s.isEmpty()).toList();
                                }
                                report = true; // every 2xx: the state machine ACKs retransmissions too
                            }
                        } else {
                            ackFailure(m);
                            if (cseq == inviteCseq && reportedFinals.add(cseq)) {
                                inviteFinal = true;
                                inviteTx.complete();
                                report = true;
                            }
                        }
                    }
                    case "BYE" -> {
                        if (status >= 200 && byeTx != null && byeTx.complete()) {
                            if (status >= 300) {
                                LOG.info("SIP user agent: the PBX answered our BYE of {} with {} {}", requestUri,
                                        status, m.reason());
                            }
                            dialogs.remove(callId);
                        } else if (status < 200 && byeTx != null) {
                            byeTx.provisional();
                        }
                    }
                    case "CANCEL" -> {
                        if (cancelTx != null && status >= 200) {
                            cancelTx.complete();
                        }
                    }
                    default -> {
                    }
                }
            }
            if (report) {
                String challenge = status == 401 ? m.header("WWW-Authenticate")
                        : status == 407 ? m.header("Proxy-Authenticate") : null;
                String body = m.body().isEmpty() ? null : m.body();
                events.response(status, m.reason(), challenge, body);
                if (status >= 300) {
                    lingerThenForget(); // a 401/407 answered with a new INVITE changes the CSeq and keeps it
                }
            }
        }

        /** ACK of a non-2xx final response: part of the INVITE transaction, on its branch (17.1.1.3). */
        private void ackFailure(SipMessage m) {
            String branch = java.util.Objects.requireNonNullElse(branch(m), inviteBranch);
            StringBuilder b = new StringBuilder();
            b.append("ACK ").append(requestUri).append(" SIP/2.0\r\n");
            b.append(via(branch));
            b.append("Max-Forwards: 70\r\n");
            b.append(from());
            b.append("To: ").append(m.header("To")).append("\r\n");
            b.append("Call-ID: ").append(callId).append("\r\n");
            b.append("CSeq: ").append(m.cseq()).append(" ACK\r\n");
            send(finish(b, null, null), peer);
        }

        /** @return true if the request belongs to this dialog: the PBX's tag as From tag, ours as To tag */
        synchronized boolean inDialog(SipMessage m) {
            return remoteTag != null && remoteTag.equals(SipMessage.tag(m.header("From")))
                    && fromTag.equals(SipMessage.tag(m.header("To")));
        }

        /**
         * The PBX changes the session (hold, resume, another codec): the dialog's owner answers the
         * offer (RFC 3264); a re-INVITE without an offer gets ours in the 200 and its answer comes
         * in the ACK (14.2). A retransmitted re-INVITE gets the same response again.
         */
        void reinvite(SipMessage m, SipTransportLayer.Flow from) {
            String branch = branch(m);
            synchronized (this) {
                if (m.cseq() == remoteCseq && branch != null && branch.equals(reinviteBranch)) {
                    if (reinviteResponse != null) {
                        reply(reinviteResponse, from);
                    }
                    return;
                }
                if (m.cseq() <= remoteCseq) {
                    respond(m, from, "500 Server Internal Error", "Retry-After: 0\r\nContent-Length: 0\r\n\r\n");
                    return; // 12.2.2: a lower CSeq is out of order
                }
                if (byeTx != null || byeReceived) {
                    respond(m, from, "481 Call/Transaction Does Not Exist", null);
                    return;
                }
                if (!reinviteAcked) {
                    // 14.2: a re-INVITE while our 200 to the previous one waits for its ACK
                    respond(m, from, "500 Server Internal Error", "Retry-After: 1\r\nContent-Length: 0\r\n\r\n");
                    return;
                }
                remoteCseq = m.cseq();
                reinviteBranch = branch;
                reinviteResponse = null;
            }
            reinvites.incrementAndGet();
            String body = m.body();
            boolean offerless = body == null || body.isBlank();
            String sdp;
            try {
                sdp = offerless ? events.offerWanted() : events.offerReceived(body);
            } catch (IllegalArgumentException e) {
                // 14.2: the session goes on unchanged
                LOG.warn("SIP user agent: re-INVITE of {} refused (488): {}", requestUri, e.getMessage());
                String warning = "Warning: 304 callrec \"" + e.getMessage().replace('"', '\'') + "\"\r\n";
                byte[] r = respond(m, from, "488 Not Acceptable Here", warning + "Content-Length: 0\r\n\r\n");
                synchronized (this) {
                    reinviteResponse = r;
                }
                return;
            }
            byte[] bb = sdp.getBytes(StandardCharsets.UTF_8);
            String extra = contact(user) + "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\nContent-Type: application/sdp\r\n"
                    + "Content-Length: " + bb.length + "\r\n\r\n" + sdp;
            synchronized (this) {
                reinviteFlow = from;
                reinviteAcked = false;
                reinviteOfferedByUs = offerless;
                reinviteResponse = respond(m, from, "200 OK", extra);
                if (!transport.reliable()) {
                    retransmit200(T1, System.nanoTime());
                } else {
                    // 13.3.1.4 over a reliable transport: no retransmission, but still wait 64*T1 for the ACK
                    retransmit200(64 * T1, System.nanoTime());
                }
            }
        }

        /** 13.3.1.4: the 2xx is sent again at T1 doubling up to T2 until the ACK, for 64*T1. */
        private void retransmit200(long delay, long since) {
            try {
                reinviteRetransmit = timers.schedule(() -> {
                    synchronized (this) {
                        if (reinviteAcked) {
                            return;
                        }
                        if (System.nanoTime() - since >= 64 * T1 * 1_000_000 - 1_000_000) {
                            reinviteAcked = true; // no ACK: the dialog goes on; we are owed nothing more
                            LOG.warn("SIP user agent: no ACK for our 200 to the PBX's re-INVITE of {}", requestUri);
                            return;
                        }
                        retransmissions.incrementAndGet();
                        reply(reinviteResponse, reinviteFlow);
                        retransmit200(Math.min(delay * 2, T2), since);
                    }
                }, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closed
            }
        }

        private void stopReinviteRetransmit() {
            reinviteAcked = true;
            if (reinviteRetransmit != null) {
                reinviteRetransmit.cancel(false);
            }
        }

        void ackReceived(SipMessage m) {
            String answer = null;
            synchronized (this) {
                if (m.cseq() != remoteCseq || reinviteAcked) {
                    return;
                }
                stopReinviteRetransmit();
                if (reinviteOfferedByUs) {
                    answer = m.body();
                }
            }
            if (answer != null && !answer.isBlank()) {
                events.answerReceived(answer);
            }
        }

        void byeReceived() {
            synchronized (this) {
                if (byeReceived) {
                    return; // a retransmitted BYE: answered again, reported once
                }
                byeReceived = true;
                stopReinviteRetransmit();
            }
            events.byeReceived();
            lingerThenForget();
        }

        /** Keep the dialog 64*T1 for retransmissions to be answered, then forget it unless it was re-INVITEd. */
        private void lingerThenForget() {
            int cseq;
            synchronized (this) {
                cseq = inviteCseq;
            }
            try {
                timers.schedule(() -> {
                    synchronized (this) {
                        if (cseq != inviteCseq || (byeTx != null && !byeTx.done)) {
                            return;
                        }
                    }
                    forget();
                }, transport.reliable() ? T1 : 64 * T1, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closed
            }
        }

        private void forget() {
            dialogs.remove(callId);
        }
    }

    private static String branch(SipMessage m) {
        List<String> vias = m.headerValues("Via");
        if (vias.isEmpty()) {
            return null;
        }
        for (String p : vias.get(0).split(";")) {
            if (p.trim().startsWith("branch=")) {
                return p.trim().substring(7);
            }
        }
        return null;
    }
}
