package org.callrec.capture.mirror.internal.correlation;

import java.util.Arrays;
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
    private CallBinding[] bindings = new CallBinding[0]; // capture thread only
    private long[] floors = new long[0]; // per binding: packets before this are not the call's
    // phone fingerprint -> indexes into bindings: a packet is matched against its two addresses'
    // calls only, not every call in progress (1,000 concurrent calls would make that quadratic)
    private Map<Long, int[]> byPhone = Map.of();
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
    public void watch(Iterable<byte[]> addresses) {
        long[] w = new long[0];
        for (byte[] a : addresses) {
            w = Arrays.copyOf(w, w.length + 1);
            w[w.length - 1] = fingerprint(a, 0, a.length);
        }
        Arrays.sort(w);
        watched = w;
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
            long floor = Math.max(binding.connectedAtNanos() - lookBackNanos,
                    releasedAt.getOrDefault(fingerprint(phone, 0, phone.length), Long.MIN_VALUE) + 1);
            CallBinding[] b = Arrays.copyOf(bindings, bindings.length + 1);
            b[b.length - 1] = binding;
            bindings = b;
            long[] f = Arrays.copyOf(floors, floors.length + 1);
            f[f.length - 1] = floor;
            floors = f;
            index();
            replayed += ring.replay(floor, (d, ts) -> deliver(binding, floor, d, ts));
        });
    }

    /**
     * Stops delivering a call's RTP.
     *
     * @param callId the call
     */
    public void unbind(String callId) {
        unbind(callId, () -> { });
    }

    /**
     * Stops delivering a call's RTP, then runs {@code after} on the capture thread, where the
     * call's play-outs may be closed without racing a packet.
     *
     * @param callId the call
     * @param after what to run once no more packets go to the call
     */
    public void unbind(String callId, Runnable after) {
        pending.add(() -> {
            int kept = 0;
            CallBinding[] b = new CallBinding[bindings.length];
            long[] f = new long[bindings.length];
            for (int i = 0; i < bindings.length; i++) {
                if (bindings[i].callId().equals(callId)) {
                    byte[] phone = bindings[i].endpoint();
                    releasedAt.put(fingerprint(phone, 0, phone.length), lastPacketNanos);
                } else {
                    b[kept] = bindings[i];
                    f[kept++] = floors[i];
                }
            }
            bindings = Arrays.copyOf(b, kept);
            floors = Arrays.copyOf(f, kept);
            index();
            after.run();
        });
    }

    @Override
    public void tick(long nowNanos) {
        applyPending();
        if (nowNanos - lastAdvanceNanos >= ADVANCE_EVERY_NANOS) {
            lastAdvanceNanos = nowNanos;
            for (CallBinding b : bindings) {
                b.receiver().advance(nowNanos);
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

    private void deliverTo(int[] candidates, UdpDatagram d) {
        if (candidates != null) {
            for (int i : candidates) {
                deliver(bindings[i], floors[i], d, d.timestampNanos());
            }
        }
    }

    private void index() {
        Map<Long, int[]> m = new HashMap<>();
        for (int i = 0; i < bindings.length; i++) {
            byte[] phone = bindings[i].endpoint();
            int at = i;
            m.merge(fingerprint(phone, 0, phone.length), new int[] {i}, (a, b) -> {
                int[] c = Arrays.copyOf(a, a.length + 1);
                c[a.length] = at;
                return c;
            });
        }
        byPhone = m;
    }

    private void deliver(CallBinding b, long floor, UdpDatagram d, long ts) {
        if (ts < floor) {
            return;
        }
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

    static long fingerprint(byte[] a, int off, int n) {
        long h = n;
        for (int i = 0; i < n; i++) {
            h = h * 0x100000001B3L ^ (a[off + i] & 0xFF);
        }
        return h;
    }
}
