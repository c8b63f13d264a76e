package org.callrec.capture.wave.internal.sip;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIP over TCP or TLS (RFC 3261 18.3, 26.2): a stream per peer, messages framed by their
 * Content-Length. One connection to the PBX carries every dialog (connection reuse; our Via says
 * {@code alias}, RFC 5923, so the PBX sends its requests back on it too). A connection that breaks
 * is opened again by the next message to that peer. Over TCP the agent also listens, so a PBX that
 * opens a connection of its own for a request (RFC 3261 18.2.2) reaches it; over TLS it holds no
 * certificate of its own and receives only on the connections it opened.
 */
final class StreamSipTransport implements SipTransportLayer {

    private static final Logger LOG = LoggerFactory.getLogger(StreamSipTransport.class);
    /** A header section larger than this cannot be a SIP message we handle: the stream is lost. */
    static final int MAX_MESSAGE = 65_536;
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    private final SipTls tls;
    private final InetAddress bind;
    private final ServerSocket listener;
    private final Map<InetSocketAddress, Connection> byPeer = new ConcurrentHashMap<>();
    private final List<Connection> open = new CopyOnWriteArrayList<>();
    private volatile Inbound inbound;
    private volatile boolean closed;

    /**
     * @param bind local address (and, for TCP, the listening port; 0: any)
     * @param tls null for TCP, else the TLS trust
     * @throws IOException if the TCP listener cannot be bound
     */
    StreamSipTransport(InetSocketAddress bind, SipTls tls) throws IOException {
        this.tls = tls;
        this.bind = bind.getAddress();
        if (tls == null) {
            listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(bind);
        } else {
            listener = null;
        }
    }

    @Override
    public String viaTransport() {
        return tls == null ? "TCP" : "TLS";
    }

    @Override
    public boolean reliable() {
        return true;
    }

    @Override
    public InetAddress boundAddress() {
        return listener != null ? listener.getInetAddress() : bind;
    }

    @Override
    public int advertisedPort() {
        return listener != null ? listener.getLocalPort() : -1;
    }

    @Override
    public int connections() {
        return open.size();
    }

    @Override
    public void start(Inbound in) {
        this.inbound = in;
        if (listener != null) {
            Thread t = new Thread(this::accept, "callrec-sip-tcp-listen-" + listener.getLocalPort());
            t.setDaemon(true);
            t.start();
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = listener.accept();
                s.setTcpNoDelay(true);
                InetSocketAddress peer = (InetSocketAddress) s.getRemoteSocketAddress();
                Connection c = new Connection(s, peer);
                open.add(c);
                byPeer.putIfAbsent(peer, c);
                c.start();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("SIP user agent: accepting a TCP connection failed: {}", e.toString());
                }
            }
        }
    }

    @Override
    public void send(byte[] message, InetSocketAddress peer) throws IOException {
        Connection c = connection(peer);
        try {
            c.write(message);
        } catch (IOException e) {
            // The connection broke since its last message (the PBX restarted, an idle timeout): open it again once.
            c.close();
            LOG.info("SIP user agent: {} connection to {} broke ({}); reconnecting", viaTransport(), hostPort(peer),
                    e.getMessage());
            connection(peer).write(message);
        }
    }

    private Connection connection(InetSocketAddress peer) throws IOException {
        Connection c = byPeer.get(peer);
        if (c != null && !c.closed) {
            return c;
        }
        synchronized (this) {
            c = byPeer.get(peer);
            if (c != null && !c.closed) {
                return c;
            }
            if (closed) {
                throw new IOException("the SIP user agent is closed");
            }
            c = new Connection(connect(peer), peer);
            byPeer.put(peer, c);
            open.add(c);
            if (closed) { // closed while connecting: close() may have passed 'open' already
                c.close();
                throw new IOException("the SIP user agent is closed");
            }
            c.start();
            return c;
        }
    }

    private Socket connect(InetSocketAddress peer) throws IOException {
        String where = hostPort(peer);
        Socket s = tls == null ? new Socket() : tls.factory().createSocket();
        try {
            if (bind != null && !bind.isAnyLocalAddress()) {
                s.bind(new InetSocketAddress(bind, 0));
            }
            s.setTcpNoDelay(true);
            s.connect(peer, CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot connect to the PBX at " + where + " over " + viaTransport().toLowerCase(
                    Locale.ROOT) + ": " + e.getMessage(), e);
        }
        if (tls == null) {
            return s;
        }
        SSLSocket ssl = (SSLSocket) s;
        SSLParameters p = ssl.getSSLParameters();
        if (tls.verifyHostname()) {
            p.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 6125 names: DNS or IP subjectAltName
        }
        String host = peer.getHostString();
        // SNI carries names only (RFC 6066 3), not IPv4 or IPv6 literals; "3cx.example.com" is a name
        if (!host.isEmpty() && !host.contains(":") && !host.matches("[0-9.]+")) {
            p.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(p);
        ssl.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
        tls.chain().remove();
        try {
            ssl.startHandshake();
        } catch (SSLException e) {
            ssl.close();
            String why = tls.explain(where, e);
            LOG.warn("SIP user agent: {}", why);
            throw new IOException(why, e);
        } catch (IOException e) {
            ssl.close();
            throw new IOException("TLS handshake with the PBX at " + where + " failed: " + e.getMessage(), e);
        } finally {
            tls.chain().remove();
        }
        ssl.setSoTimeout(0);
        LOG.info("SIP user agent: TLS connection to the PBX at {} ({}, {}), certificate trusted by {}", where,
                ssl.getSession().getProtocol(), ssl.getSession().getCipherSuite(), tls.source());
        return ssl;
    }

    private static String hostPort(InetSocketAddress a) {
        String h = a.getHostString();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    @Override
    public void close() {
        closed = true;
        if (listener != null) {
            try {
                listener.close();
            } catch (IOException e) {
                // closing
            }
        }
        for (Connection c : open) {
            c.close();
        }
    }

    /** One connection and its reader, which frames the stream into messages. */
    private final class Connection implements Flow {
        private final Socket socket;
        private final InetSocketAddress peer;
        private final OutputStream out;
        private final InputStream in;
        volatile boolean closed;

        Connection(Socket socket, InetSocketAddress peer) throws IOException {
            this.socket = socket;
            this.peer = peer;
            this.out = socket.getOutputStream();
            this.in = socket.getInputStream();
        }

        void start() {
            Thread t = new Thread(this::read, "callrec-sip-" + viaTransport().toLowerCase(Locale.ROOT) + "-"
                    + hostPort(peer));
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void send(byte[] message) throws IOException {
            write(message);
        }

        synchronized void write(byte[] message) throws IOException {
            if (closed) {
                throw new IOException("connection closed");
            }
            out.write(message);
            out.flush();
        }

        @Override
        public String peer() {
            return viaTransport() + " " + hostPort(peer);
        }

        private void read() {
            byte[] buf = new byte[8192];
            int have = 0;
            try {
                while (!closed) {
                    if (have == buf.length) {
                        buf = Arrays.copyOf(buf, buf.length * 2);
                    }
                    int n = in.read(buf, have, buf.length - have);
                    if (n < 0) {
                        break;
                    }
                    have += n;
                    have = frame(buf, have);
                    if (have < 0) {
                        break;
                    }
                }
            } catch (IOException e) {
                if (!closed && !StreamSipTransport.this.closed) {
                    LOG.info("SIP user agent: {} connection to {} ended: {}", viaTransport(), hostPort(peer),
                            e.getMessage());
                }
            } finally {
                close();
            }
        }

        /**
         * Hands up every whole message at the start of the buffer (18.3) and moves the rest to the
         * front.
         *
         * @return bytes left, or -1 if the stream cannot be framed any more
         */
        private int frame(byte[] buf, int have) throws IOException {
            int pos = 0;
            while (true) {
                int start = pos;
                int crlfs = 0;
                while (start < have && (buf[start] == '\r' || buf[start] == '\n')) {
                    crlfs += buf[start] == '\n' ? 1 : 0;
                    start++;
                }
                if (crlfs >= 2) {
                    write("\r\n".getBytes(StandardCharsets.US_ASCII)); // RFC 5626 4.4.1: a CRLFCRLF ping gets a CRLF pong
                }
                pos = start;
                int end = headerEnd(buf, start, have);
                if (end < 0) {
                    if (have - start > MAX_MESSAGE) {
                        return unframeable("no end of the header section within " + MAX_MESSAGE + " bytes");
                    }
                    break;
                }
                String head = new String(buf, start, end - start, StandardCharsets.UTF_8);
                int length;
                try {
                    length = contentLength(head);
                } catch (IllegalArgumentException e) {
                    return unframeable(e.getMessage());
                }
                if (length > MAX_MESSAGE) {
                    return unframeable("Content-Length " + length + " exceeds " + MAX_MESSAGE);
                }
                int total = end + 4 + length - start;
                if (have - start < total) {
                    break; // the rest is still on its way; the reader grows the buffer when it is full
                }
                Inbound i = inbound;
                if (i != null) {
                    i.message(buf, start, total, this);
                }
                pos = start + total;
            }
            System.arraycopy(buf, pos, buf, 0, have - pos);
            return have - pos;
        }

        private int unframeable(String why) {
            Inbound i = inbound;
            if (i != null) {
                i.unframeable(peer(), why);
            }
            return -1;
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            byPeer.remove(peer, this);
            open.remove(this);
            try {
                socket.close();
            } catch (IOException e) {
                // closing
            }
        }
    }

    private static int headerEnd(byte[] b, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** RFC 3261 18.3: over a stream the Content-Length must be there; it says where the message ends. */
    static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("l")) {
                try {
                    int n = Integer.parseInt(line.substring(colon + 1).trim());
                    if (n < 0) {
                        throw new NumberFormatException();
                    }
                    return n;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Content-Length '" + line.substring(colon + 1).trim()
                            + "' is not a number");
                }
            }
        }
        throw new IllegalArgumentException("a message without Content-Length (required over a stream, RFC 3261 18.3)");
    }
}
