package org.callrec.capture.wave.internal.sip;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.BitSet;

import org.callrec.capture.wave.internal.routepoint.RoutePointException;

/**
 * The local RTP port range: hands out even ports (RTP; the odd one above stays free for RTCP) as
 * bound sockets, and takes them back. A port some other program holds is skipped.
 */
public final class RtpPortPool {

    private final InetAddress bind;
    private final int min;
    private final int max;
    private final BitSet used = new BitSet();
    private int next;

    /**
     * @param bind local address to bind
     * @param min first port (even)
     * @param max last port
     */
    public RtpPortPool(InetAddress bind, int min, int max) {
        this.bind = bind;
        this.min = min;
        this.max = max;
        this.next = min;
    }

    /**
     * @return a socket bound to a free even port of the range
     * @throws RoutePointException if every port is in use
     */
    public synchronized DatagramSocket open() throws RoutePointException {
        int pairs = (max - min) / 2 + 1;
        for (int i = 0; i < pairs; i++) {
            int port = next;
            next = next + 2 > max ? min : next + 2;
            int slot = (port - min) / 2;
            if (used.get(slot)) {
                continue;
            }
            try {
                DatagramSocket s = new DatagramSocket(null);
                try {
                    s.bind(new InetSocketAddress(bind, port));
                } catch (SocketException e) {
                    s.close();
                    continue;
                }
                used.set(slot);
                return s;
            } catch (SocketException e) {
                continue;
            }
        }
        throw new RoutePointException("no free local RTP port in rtpPorts=" + min + "-" + max + " (" + used.cardinality()
                + " in use by Route Point calls, the rest by other programs)");
    }

    /**
     * Closes the socket and frees its port.
     *
     * @param socket a socket from {@link #open()}
     */
    public synchronized void close(DatagramSocket socket) {
        int port = socket.getLocalPort();
        socket.close();
        if (port >= min && port <= max) {
            used.clear((port - min) / 2);
        }
    }

    /** @return ports handed out now */
    public synchronized int inUse() {
        return used.cardinality();
    }
}
