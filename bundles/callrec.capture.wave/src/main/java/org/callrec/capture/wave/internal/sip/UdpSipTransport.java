package org.callrec.capture.wave.internal.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SIP over UDP (RFC 3261 18.1.1, 18.2.1): one socket; each datagram is one message. */
final class UdpSipTransport implements SipTransportLayer {

    private static final Logger LOG = LoggerFactory.getLogger(UdpSipTransport.class);

    private final DatagramSocket socket;
    private Thread receiver;

    /**
     * @param bind local address and port (port 0: any)
     * @throws SocketException if it cannot be bound
     */
    UdpSipTransport(InetSocketAddress bind) throws SocketException {
        this.socket = new DatagramSocket(bind);
    }

    @Override
    public String viaTransport() {
        return "UDP";
    }

    @Override
    public boolean reliable() {
        return false;
    }

    @Override
    public InetAddress boundAddress() {
        return socket.getLocalAddress();
    }

    @Override
    public int advertisedPort() {
        return socket.getLocalPort();
    }

    @Override
    public int connections() {
        return 0;
    }

    @Override
    public void start(Inbound inbound) {
        receiver = new Thread(() -> receive(inbound), "callrec-sip-udp-" + socket.getLocalPort());
        receiver.setDaemon(true);
        receiver.start();
    }

    private void receive(Inbound inbound) {
        byte[] buf = new byte[65535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!socket.isClosed()) {
            try {
                socket.receive(p);
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.warn("SIP user agent: UDP receive failed: {}", e.toString());
                }
                continue;
            }
            if (p.getLength() <= 4) {
                continue; // keep-alive CRLFs (RFC 5626)
            }
            SocketAddress from = p.getSocketAddress();
            inbound.message(buf, 0, p.getLength(), new Flow() {
                @Override
                public void send(byte[] message) throws IOException {
                    socket.send(new DatagramPacket(message, message.length, from)); // RFC 3581: back where it came from
                }

                @Override
                public String peer() {
                    return from.toString();
                }
            });
        }
    }

    @Override
    public void send(byte[] message, InetSocketAddress peer) throws IOException {
        socket.send(new DatagramPacket(message, message.length, peer));
    }

    @Override
    public void close() {
        socket.close();
        Thread r = receiver;
        if (r != null) {
            try {
                r.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
