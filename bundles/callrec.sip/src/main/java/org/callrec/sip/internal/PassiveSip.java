package org.callrec.sip.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.callrec.api.call.CallEvent;
import org.callrec.api.directory.UserDirectory;
import org.callrec.api.sip.SipPacketSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Payloads in, call events out: frames and parses SIP messages (one per UDP datagram, any number of
 * whole ones per TCP segment), parses their SDP, and hands them to the dialog tracker. Malformed
 * SIP or SDP is counted, logged with what is wrong, and skipped; the rest of a segment and every
 * other dialog carry on.
 */
final class PassiveSip implements SipPacketSink {

    private static final Logger LOG = LoggerFactory.getLogger(PassiveSip.class);

    private final PassiveSipTracker tracker;
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong malformedSdp = new AtomicLong();
    private volatile String lastError;

    PassiveSip(String sourceId, Consumer<CallEvent> sink, Supplier<UserDirectory> directory, Pattern internalNumber,
            int maxDialogs) {
        tracker = new PassiveSipTracker(sourceId, sink, directory, internalNumber, maxDialogs);
    }

    @Override
    public synchronized void onPayload(Transport transport, InetSocketAddress source, InetSocketAddress destination,
            Instant time, ByteBuffer payload) {
        byte[] b = new byte[payload.remaining()];
        payload.duplicate().get(b);
        int pos = 0;
        while (pos < b.length) {
            if (SipParser.keepAlive(b, pos, b.length - pos)) {
                return;
            }
            SipParser.Parsed p;
            try {
                p = SipParser.parse(b, pos, b.length - pos, transport == Transport.TCP);
            } catch (SipParseException e) {
                reject(source, destination, e.getMessage());
                return; // framing is lost for the rest of this payload
            }
            pos = transport == Transport.UDP ? b.length : p.end();
            Sdp sdp = null;
            if (p.message().hasSdp()) {
                try {
                    sdp = Sdp.parse(p.message().body());
                } catch (SipParseException e) {
                    malformedSdp.incrementAndGet();
                    lastError = "SDP in " + p.message() + " from " + source + ": " + e.getMessage();
                    LOG.warn("Passive SIP: malformed {}; the message is used without media hints", lastError);
                }
            }
            messages.incrementAndGet();
            try {
                tracker.onMessage(p.message(), sdp, source, destination, time);
            } catch (RuntimeException e) {
                // e.g. a CSeq number out of range: one bad message, not a reason to stop
                reject(source, destination, e.toString());
            }
        }
    }

    private void reject(InetSocketAddress source, InetSocketAddress destination, String why) {
        long n = malformed.incrementAndGet();
        lastError = "from " + source + " to " + destination + ": " + why;
        if (n <= 10 || Long.bitCount(n) == 1) { // log the first ten, then at powers of two
            LOG.warn("Passive SIP: malformed message #{} {}; skipped", n, lastError);
        }
    }

    long messages() {
        return messages.get();
    }

    long malformed() {
        return malformed.get();
    }

    long malformedSdp() {
        return malformedSdp.get();
    }

    String lastError() {
        return lastError;
    }

    synchronized long orphans() {
        return tracker.orphans();
    }

    synchronized int dialogs() {
        return tracker.dialogs();
    }
}
