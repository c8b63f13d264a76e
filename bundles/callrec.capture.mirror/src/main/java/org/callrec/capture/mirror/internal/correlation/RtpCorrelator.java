package org.callrec.capture.mirror.internal.correlation;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.callrec.api.audio.AudioFormat;
import org.callrec.capture.mirror.internal.packet.UdpDatagram;
import org.callrec.capture.mirror.internal.packet.UdpPacketSink;

/**
 * Binds RTP seen on the mirror port to recorded calls by the user's phone address: packets from
 * the phone are the user's channel, packets to it the other party's. RTP to or from a watched
 * phone is also kept for a look-back window, so that when a call connects, the stream that began
 * shortly before (ringing, early media, the first "hello") is replayed into it and no first words
 * are lost. Bind and unbind come from any thread; everything else runs on the capture thread,
 * which applies pending bindings before the next packet.
 */
public final class RtpCorrelator implements UdpPacketSink {

    private static final long ADVANCE_EVERY_NANOS = 20_000_000L;

    private final long lookBackNanos;
    private long lastAdvanceNanos;
    private final LookBackRing ring;
    private final ConcurrentLinkedQueue<Runnable> pending = new ConcurrentLinkedQueue<>();
    private volatile long[] watched = new long[0]; // sorted address fingerprints
    private Bound[] bindings = new Bound[0]; // capture thread only
    // phone fingerprint -> the calls bound to that phone: a packet is matched against its two
    // addresses' calls only, not every call in progress (1,000 concurrent calls would make that quadratic)
    private final PhoneIndex<Bound[]> byPhone = new PhoneIndex<>();
    // phone fingerprint -> capture time when its last call was unbound: the look-back of the next
    // call on that phone must not replay the previous call's audio
    private final Map<Long, Long> releasedAt = new HashMap<>();
    private long lastPacketNanos = Long.MIN_VALUE;

    private long rtpSeen;
    private long bound;
    private long replayed;

    /**
     * @param lookBackNanos how far before the connected time packets are replayed (at least 2 s)
     * @param lookBackPackets how many packets the look-back buffer holds at most
     */
    public RtpCorrelator(long lookBackNanos, int lookBackPackets) {
        if (lookBackNanos < 2_000_000_000L) {
            throw new IllegalArgumentException("look-back must be at least 2 s, not " + lookBackNanos / 1_000_000 + " ms");
        }
        this.lookBackNanos = lookBackNanos;
        this.ring = new LookBackRing(lookBackPackets);
    }

    /**
     * Sets the phone addresses whose RTP is kept for look-back (the recorded users' endpoints).
     *
     * @param addresses 4- or 16-byte addresses
     */
    public void watch(Collection<byte[]> addresses) {
        long[] w = new long[addresses.size()];
        int n = 0;
        for (byte[] a : addresses) {
            w[n++] = fingerprint(a, 0, a.length);
        }
        Arrays.sort(w);
        watched = w;
    }

    /**
     * @param address a 4- or 16-byte address
     * @return true if its RTP is kept for look-back
     */
    public boolean watches(byte[] address) {
        return Arrays.binarySearch(watched, fingerprint(address, 0, address.length)) >= 0;
    }

    /**
     * Starts delivering a call's RTP, beginning with what the look-back buffer holds from
     * {@code connectedAtNanos} minus the look-back window.
     *
     * @param binding the call
     */
    public void bind(CallBinding binding) {
        pending.add(() -> {
            byte[] phone = binding.endpoint();
            long key = fingerprint(phone, 0, phone.length);
            long floor = Math.max(binding.connectedAtNanos() - lookBackNanos,
                    releasedAt.getOrDefault(key, Long.MIN_VALUE) + 1);
            Bound bound = new Bound(binding, floor);
            bindings = append(bindings, bound);
            Bound[] onPhone = byPhone.get(key);
            byPhone.put(key, onPhone == null ? new Bound[] {bound} : append(onPhone, bound));
            replayed += ring.replay(floor, (d, ts) -> deliver(bound, d, ts));
        });
    }

    private static Bound[] append(Bound[] a, Bound b) {
        Bound[] c = Arrays.copyOf(a, a.length + 1);
        c[a.length] = b;
        return c;
    }

    /** Copies the bindings that do not deliver to {@code receiver}. */
    private static Bound[] without(Bound[] a, StreamReceiver receiver) {
        Bound[] kept = new Bound[a.length];
        int n = 0;
        for (Bound b : a) {
            if (b.binding().receiver() != receiver) {
                kept[n++] = b;
            }
        }
        return Arrays.copyOf(kept, n);
    }

    /**
     * Stops delivering RTP to one receiver (one recorded side of a call).
     *
     * @param receiver the receiver given in the binding
     */
    public void unbind(StreamReceiver receiver) {
        unbind(receiver, () -> { });
    }

    /**
     * Stops delivering RTP to one receiver, then runs {@code after} on the capture thread, where the
     * call's play-outs may be closed without racing a packet. By receiver, not call id: the PBX shows
     * an internal call with one id on both lines, and when both users are recorded the side that
     * hangs up first must not end the other side's capture.
     *
     * @param receiver the receiver given in the binding
     * @param after what to run once no more packets go to it
     */
    public void unbind(StreamReceiver receiver, Runnable after) {
        pending.add(() -> {
            for (Bound b : bindings) {
                if (b.binding().receiver() == receiver) {
                    byte[] phone = b.binding().endpoint();
                    long key = fingerprint(phone, 0, phone.length);
                    releasedAt.put(key, lastPacketNanos);
                    Bound[] onPhone = byPhone.get(key);
                    onPhone = onPhone == null ? new Bound[0] : without(onPhone, receiver); // null: bound twice
                    if (onPhone.length == 0) {
                        byPhone.remove(key);
                    } else {
                        byPhone.put(key, onPhone);
                    }
                }
            }
            bindings = without(bindings, receiver);
            after.run();
        });
    }

    @Override
    public void tick(long nowNanos) {
        applyPending();
        if (nowNanos - lastAdvanceNanos >= ADVANCE_EVERY_NANOS) {
            lastAdvanceNanos = nowNanos;
            for (Bound b : bindings) {
                b.binding().receiver().advance(nowNanos);
            }
        }
    }

    /** Applies pending binds and unbinds; the capture thread calls this when idle too. */
    public void applyPending() {
        Runnable r;
        while ((r = pending.poll()) != null) {
            r.run();
        }
    }

    @Override
    public void udp(UdpDatagram d) {
        applyPending();
        if (!looksLikeRtp(d)) {
            return;
        }
        rtpSeen++;
        lastPacketNanos = Math.max(lastPacketNanos, d.timestampNanos());
        long[] w = watched;
        int n = d.addressLength();
        long src = fingerprint(d.srcAddressBytes(), 0, n);
        long dst = fingerprint(d.dstAddressBytes(), 0, n);
        if (w.length > 0 && (Arrays.binarySearch(w, src) >= 0 || Arrays.binarySearch(w, dst) >= 0)) {
            ring.add(d);
        }
        if (bindings.length == 0) {
            return;
        }
        deliverTo(byPhone.get(src), d);
        if (dst != src) {
            deliverTo(byPhone.get(dst), d);
        }
    }

    private void deliverTo(Bound[] candidates, UdpDatagram d) {
        if (candidates != null) {
            for (Bound b : candidates) {
                deliver(b, d, d.timestampNanos());
            }
        }
    }

    private void deliver(Bound target, UdpDatagram d, long ts) {
        if (ts < target.floor()) {
            return;
        }
        CallBinding b = target.binding();
        int channel;
        if (d.srcIs(b.endpoint()) && (b.userPort() == 0 || d.srcPort() == b.userPort())) {
            channel = AudioFormat.USER_CHANNEL;
        } else if (d.dstIs(b.endpoint()) && (b.userPort() == 0 || d.dstPort() == b.userPort())) {
            channel = AudioFormat.OTHER_PARTY_CHANNEL;
        } else {
            return;
        }
        bound++;
        b.receiver().rtp(channel, d.buffer(), d.offset(), d.length(), ts);
    }

    /**
     * RTP version 2 with at least a fixed header, and not RTCP (payload types 72-76 with the
     * marker bit, RFC 5761 section 4), nor SIP or other text.
     */
    static boolean looksLikeRtp(UdpDatagram d) {
        if (d.length() < 12) {
            return false;
        }
        byte[] b = d.buffer();
        int o = d.offset();
        if ((b[o] & 0xC0) != 0x80) {
            return false;
        }
        int pt = b[o + 1] & 0xFF;
        return pt < 192 || pt > 223; // 200-204 are RTCP packet types; keep a margin
    }

    /** @return packets that looked like RTP, packets delivered to calls, packets replayed from look-back */
    public long[] counters() {
        return new long[] {rtpSeen, bound, replayed};
    }

    /** A bound call and the capture time before which its phone's packets are not its own. */
    private record Bound(CallBinding binding, long floor) {
    }

    static long fingerprint(byte[] a, int off, int n) {
        long h = n;
        for (int i = 0; i < n; i++) {
            h = h * 0x100000001B3L ^ (a[off + i] & 0xFF);
        }
        return h;
    }
}
