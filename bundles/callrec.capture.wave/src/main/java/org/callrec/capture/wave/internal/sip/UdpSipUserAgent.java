package org.callrec.capture.wave.internal.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder's SIP user agent over UDP (RFC 3261): the client side of one INVITE dialog per
 * Route Point call, with the transaction layer the state machine above leaves to the stack:
 * retransmission of requests (Timer A/B for INVITE, E/F for BYE and CANCEL), the ACK of non-2xx
 * final responses, CANCEL only after a provisional response (section 9.1), 200 to the PBX's BYE,
 * and the dialog's remote target and route set from the 2xx. Written here rather than over
 * callrec.sip's passive parser: a UAC needs a dozen headers, and a shared API package for them would
 * couple two bundles for little code.
 *
 * <p>Every message goes to the configured PBX address (it is the Route Point's registrar and
 * proxy); responses and requests arrive on one socket and are matched to dialogs by Call-ID.
 */
public final class UdpSipUserAgent implements SipUserAgent, AutoCloseable {

    /** RFC 3261 T1 and T2 (ms). */
    static final long T1 = 500;
    static final long T2 = 4000;

    private static final Logger LOG = LoggerFactory.getLogger(UdpSipUserAgent.class);

    private final DatagramSocket socket;
    private final InetSocketAddress pbx;
    private final String advertised;
    private final String fromUser;
    private final ScheduledExecutorService timers;
    private final Map<String, Dialog> dialogs = new ConcurrentHashMap<>();
    private final Thread receiver;
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong retransmissions = new AtomicLong();

    /**
     * @param bind local SIP address and port (port 0: any)
     * @param advertisedAddress address put in Via, Contact and the SDP; null or empty: the local
     *        address the route to the PBX uses
     * @param pbx the PBX's SIP address
     * @param fromUser the user part of From and Contact (the digest user, or "callrec")
     * @throws SocketException if the SIP port cannot be bound
     */
    public UdpSipUserAgent(InetSocketAddress bind, String advertisedAddress, InetSocketAddress pbx, String fromUser)
            throws SocketException {
        if (pbx.isUnresolved()) {
            throw new SocketException("sipPbxAddress " + pbx.getHostString() + " cannot be resolved");
        }
        this.pbx = pbx;
        this.fromUser = fromUser == null || fromUser.isBlank() ? "callrec" : fromUser;
        this.socket = new DatagramSocket(bind);
        String adv = advertisedAddress == null ? "" : advertisedAddress.trim();
        if (adv.isEmpty()) {
            adv = socket.getLocalAddress().isAnyLocalAddress() ? routeTo(pbx.getAddress())
                    : socket.getLocalAddress().getHostAddress();
        }
        this.advertised = adv;
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "callrec-sip-ua-timers");
            t.setDaemon(true);
            return t;
        });
        this.receiver = new Thread(this::receive, "callrec-sip-ua-" + socket.getLocalPort());
        receiver.setDaemon(true);
        receiver.start();
    }

    private static String routeTo(InetAddress peer) throws SocketException {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(peer, 9); // no packet is sent; the kernel picks the source address of that route
            return probe.getLocalAddress().getHostAddress();
        }
    }

    @Override
    public String localAddress() {
        return advertised;
    }

    /** @return the local SIP port */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** @return SIP messages that could not be parsed (each logged with what is wrong) */
    public long malformed() {
        return malformed.get();
    }

    /** @return requests sent again because no response came in time */
    public long retransmissions() {
        return retransmissions.get();
    }

    /** @return dialogs still held (their transactions or a BYE still pending) */
    public int dialogs() {
        return dialogs.size();
    }

    @Override
    public Call newCall(String requestUri, String sdpOffer, Events events) {
        if (socket.isClosed()) {
            throw new IllegalStateException("the SIP user agent is closed");
        }
        Dialog d = new Dialog(requestUri, sdpOffer, events);
        dialogs.put(d.callId, d);
        return d;
    }

    @Override
    public void close() {
        socket.close();
        timers.shutdownNow();
        try {
            receiver.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void receive() {
        byte[] buf = new byte[65535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!socket.isClosed()) {
            try {
                socket.receive(p);
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.warn("SIP user agent: receive failed: {}", e.toString());
                }
                continue;
            }
            if (p.getLength() <= 4) {
                continue; // keep-alive CRLFs (RFC 5626)
            }
            SipMessage m;
            try {
                m = SipMessage.parse(buf, p.getLength());
            } catch (IllegalArgumentException e) {
                malformed.incrementAndGet();
                LOG.warn("SIP user agent: malformed message from {} ignored: {}", p.getSocketAddress(), e.getMessage());
                continue;
            }
            try {
                if (m.isResponse()) {
                    Dialog d = dialogs.get(m.header("Call-ID").trim());
                    if (d != null) {
                        d.response(m);
                    }
                } else {
                    request(m, p.getSocketAddress());
                }
            } catch (RuntimeException e) {
                malformed.incrementAndGet();
                LOG.warn("SIP user agent: message from {} not handled: {}", p.getSocketAddress(), e.toString());
            }
        }
    }

    private void request(SipMessage m, SocketAddress from) {
        String method = m.method();
        if ("ACK".equals(method)) {
            return;
        }
        Dialog d = dialogs.get(m.header("Call-ID").trim());
        switch (method) {
            case "BYE" -> {
                if (d == null) {
                    respond(m, from, "481 Call/Transaction Does Not Exist");
                } else {
                    respond(m, from, "200 OK");
                    d.byeReceived();
                }
            }
            case "OPTIONS" -> respond(m, from, "200 OK");
            // A re-INVITE would change the media; the Route Point leg needs none (RFC 3261 14.2: 488 keeps the session).
            case "INVITE" -> respond(m, from, d == null ? "481 Call/Transaction Does Not Exist" : "488 Not Acceptable Here");
            case "CANCEL" -> respond(m, from, "481 Call/Transaction Does Not Exist");
            default -> respond(m, from, "405 Method Not Allowed");
        }
    }

    /** A response to a request of the PBX, sent back where it came from (RFC 3581 behaviour). */
    private void respond(SipMessage req, SocketAddress to, String status) {
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
        b.append("User-Agent: callrec\r\nContent-Length: 0\r\n\r\n");
        send(b.toString().getBytes(StandardCharsets.UTF_8), to);
    }

    private void send(byte[] bytes, SocketAddress to) {
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, to));
        } catch (IOException e) {
            // UDP: a lost send is retransmitted by its transaction, or the state machine's timers end the call
            if (!socket.isClosed()) {
                LOG.warn("SIP user agent: send to {} failed: {}", to, e.toString());
            }
        }
    }

    private static String token() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    private String hostPort() {
        String h = advertised.contains(":") ? "[" + advertised + "]" : advertised;
        return h + ":" + socket.getLocalPort();
    }

    /** A client transaction: the request, its retransmission schedule and its end (RFC 3261 17.1). */
    private final class ClientTransaction {
        final String label;
        final byte[] bytes;
        final boolean invite;
        final long started = System.nanoTime();
        final Runnable onTimeout;
        long interval = T1;
        boolean proceeding;
        boolean done;
        ScheduledFuture<?> next;

        ClientTransaction(String label, byte[] bytes, boolean invite, Runnable onTimeout) {
            this.label = label;
            this.bytes = bytes;
            this.invite = invite;
            this.onTimeout = onTimeout;
        }

        void start() {
            send(bytes, pbx);
            schedule();
        }

        private void schedule() {
            try {
                next = timers.schedule(this::fire, interval, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
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
                if (System.nanoTime() - started >= 64 * T1 * 1_000_000) { // Timer B / Timer F
                    done = true;
                } else {
                    retransmissions.incrementAndGet();
                    send(bytes, pbx);
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

    /** One INVITE dialog toward the Route Point. */
    private final class Dialog implements Call {
        final String callId = token() + "@callrec";
        final String fromTag = token();
        final String requestUri;
        final String offer;
        final Events events;
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

        Dialog(String requestUri, String offer, Events events) {
            this.requestUri = requestUri;
            this.offer = offer;
            this.events = events;
        }

        private String to(String uri) {
            return uri.substring(0, uri.indexOf(';') < 0 ? uri.length() : uri.indexOf(';'));
        }

        private StringBuilder request(String method, String uri, String branch, int cseq, String cseqMethod,
                boolean withTag, boolean withRoutes) {
            StringBuilder b = new StringBuilder();
            b.append(method).append(' ').append(uri).append(" SIP/2.0\r\n");
            b.append("Via: SIP/2.0/UDP ").append(hostPort()).append(";branch=").append(branch).append(";rport\r\n");
            b.append("Max-Forwards: 70\r\n");
            if (withRoutes) {
                for (String r : routeSet) {
                    b.append("Route: ").append(r).append("\r\n");
                }
            }
            b.append("From: <sip:").append(fromUser).append('@').append(pbx.getHostString()).append(">;tag=")
                    .append(fromTag).append("\r\n");
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
            b.append("Contact: <sip:").append(fromUser).append('@').append(hostPort()).append(">\r\n");
            b.append("Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n");
            if (authHeader != null) {
                b.append(authHeader).append(": ").append(authValue).append("\r\n");
            }
            int sent = cseq;
            ClientTransaction tx = new ClientTransaction("INVITE " + requestUri, finish(b, "application/sdp", offer),
                    true, () -> inviteTimedOut(sent));
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

        @Override
        public synchronized void sendAck(int cseq) {
            // ACK of a 2xx: its own transaction, to the remote target along the route set (13.2.2.4)
            StringBuilder b = request("ACK", remoteTarget == null ? requestUri : remoteTarget, "z9hG4bK" + token(),
                    cseq, "ACK", true, true);
            send(finish(b, null, null), pbx);
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
            cancelTx = new ClientTransaction("CANCEL " + requestUri, finish(b, null, null), false, () -> {
            });
            cancelTx.start();
        }

        @Override
        public synchronized void sendBye() {
            if (remoteTag == null || byeTx != null || byeReceived) {
                return; // no dialog (no 2xx), or it is already ending
            }
            int cseq = ++maxCseq;
            StringBuilder b = request("BYE", remoteTarget == null ? requestUri : remoteTarget, "z9hG4bK" + token(),
                    cseq, "BYE", true, true);
            byeTx = new ClientTransaction("BYE " + requestUri, finish(b, null, null), false, this::forget);
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
            List<String> vias = m.headerValues("Via");
            String branch = inviteBranch;
            if (!vias.isEmpty()) {
                for (String p : vias.get(0).split(";")) {
                    if (p.trim().startsWith("branch=")) {
                        branch = p.trim().substring(7);
                    }
                }
            }
            StringBuilder b = new StringBuilder();
            b.append("ACK ").append(requestUri).append(" SIP/2.0\r\n");
            b.append("Via: SIP/2.0/UDP ").append(hostPort()).append(";branch=").append(branch).append(";rport\r\n");
            b.append("Max-Forwards: 70\r\n");
            b.append("From: <sip:").append(fromUser).append('@').append(pbx.getHostString()).append(">;tag=")
                    .append(fromTag).append("\r\n");
            b.append("To: ").append(m.header("To")).append("\r\n");
            b.append("Call-ID: ").append(callId).append("\r\n");
            b.append("CSeq: ").append(m.cseq()).append(" ACK\r\n");
            send(finish(b, null, null), pbx);
        }

        void byeReceived() {
            synchronized (this) {
                if (byeReceived) {
                    return; // a retransmitted BYE: answered again, reported once
                }
                byeReceived = true;
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
                }, 64 * T1, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closed
            }
        }

        private void forget() {
            dialogs.remove(callId);
        }
    }
}
