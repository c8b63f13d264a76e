package org.callrec.capture.mirror.internal.packet;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rebuilds IP datagrams from fragments (RFC 791 for IPv4, RFC 8200 section 4.5 for IPv6), keyed on
 * (source, destination, protocol, identification). Fragments may come in any order and may repeat
 * (a mirror port can see a packet twice). A datagram whose fragments do not all arrive within the
 * timeout is dropped and counted; so is the oldest one when too many are in progress. Not
 * thread-safe: owned by one decoder.
 */
final class FragmentReassembler {

    /** The largest IP payload a fragmented datagram can rebuild to. */
    static final int MAX_DATAGRAM = 65_535;

    private record Key(int version, long srcHi, long srcLo, long dstHi, long dstLo, int protocol, long id) {
    }

    /** One datagram in reassembly: its bytes so far and which ranges arrived. */
    private static final class Pending {
        final long firstSeenNanos;
        byte[] data = new byte[2048];
        int total = -1; // known once the last fragment (no "more fragments") arrives
        // received byte ranges [start, end), sorted and merged: starts[i] < ends[i] < starts[i+1]
        int[] starts = new int[4];
        int[] ends = new int[4];
        int ranges;

        Pending(long firstSeenNanos) {
            this.firstSeenNanos = firstSeenNanos;
        }

        void add(int start, byte[] buf, int off, int len) {
            int end = start + len;
            if (end > data.length) {
                data = Arrays.copyOf(data, Math.min(MAX_DATAGRAM, Math.max(end, data.length * 2)));
            }
            System.arraycopy(buf, off, data, start, len);
            // merge [start, end) into the sorted range list
            int i = 0;
            while (i < ranges && ends[i] < start) {
                i++;
            }
            int j = i;
            int s = start;
            int e = end;
            while (j < ranges && starts[j] <= end) {
                s = Math.min(s, starts[j]);
                e = Math.max(e, ends[j]);
                j++;
            }
            int removed = j - i;
            if (removed == 0) {
                if (ranges == starts.length) {
                    starts = Arrays.copyOf(starts, ranges * 2);
                    ends = Arrays.copyOf(ends, ranges * 2);
                }
                System.arraycopy(starts, i, starts, i + 1, ranges - i);
                System.arraycopy(ends, i, ends, i + 1, ranges - i);
                ranges++;
            } else if (removed > 1) {
                System.arraycopy(starts, j, starts, i + 1, ranges - j);
                System.arraycopy(ends, j, ends, i + 1, ranges - j);
                ranges -= removed - 1;
            }
            starts[i] = s;
            ends[i] = e;
        }

        boolean complete() {
            return total >= 0 && ranges == 1 && starts[0] == 0 && ends[0] == total;
        }
    }

    private final long timeoutNanos;
    private final int maxDatagrams;
    private final LinkedHashMap<Key, Pending> pending = new LinkedHashMap<>();
    private long newestNanos = Long.MIN_VALUE;

    long fragments;
    long reassembled;
    long timeouts;
    long overflows;
    long invalid;

    private byte[] doneData;
    private int doneLength;

    /**
     * @param timeoutNanos how long after its first fragment a datagram may stay incomplete
     * @param maxDatagrams how many datagrams may be in reassembly at once
     */
    FragmentReassembler(long timeoutNanos, int maxDatagrams) {
        if (timeoutNanos <= 0 || maxDatagrams <= 0) {
            throw new IllegalArgumentException("reassembly timeout and limit must be > 0");
        }
        this.timeoutNanos = timeoutNanos;
        this.maxDatagrams = maxDatagrams;
    }

    /**
     * Takes one fragment.
     *
     * @param version 4 or 6
     * @param src source address bytes (4 or 16 used)
     * @param dst destination address bytes
     * @param protocol the upper-layer protocol (IPv4 protocol, IPv6 fragment header next header)
     * @param id identification
     * @param fragmentOffset offset of this fragment's data in the datagram, bytes
     * @param more the "more fragments" flag
     * @param buf fragment data buffer
     * @param off first data byte
     * @param len data length
     * @param nowNanos the fragment's capture time
     * @return true if this fragment completed a datagram: read it with {@link #data()} and
     *         {@link #length()} before the next call
     */
    boolean offer(int version, byte[] src, byte[] dst, int protocol, long id, int fragmentOffset, boolean more,
            byte[] buf, int off, int len, long nowNanos) {
        fragments++;
        expire(nowNanos);
        int end = fragmentOffset + len;
        // Non-final fragments carry multiples of 8 bytes; nothing may reach past 64 KiB.
        if (end > MAX_DATAGRAM || (more && (len & 7) != 0) || (more && len == 0)) {
            invalid++;
            return false;
        }
        int n = version == 4 ? 4 : 16;
        Key key = new Key(version, hi(src, n), lo(src, n), hi(dst, n), lo(dst, n), protocol, id);
        Pending p = pending.get(key);
        if (p == null) {
            if (pending.size() >= maxDatagrams) {
                Iterator<Map.Entry<Key, Pending>> oldest = pending.entrySet().iterator();
                oldest.next();
                oldest.remove();
                overflows++;
            }
            p = new Pending(nowNanos);
            pending.put(key, p);
        }
        if (!more) {
            if (p.total >= 0 && p.total != end) {
                // two different "last" fragments: the datagram cannot be rebuilt consistently
                pending.remove(key);
                invalid++;
                return false;
            }
            p.total = end;
        }
        if (p.total >= 0 && end > p.total) {
            pending.remove(key);
            invalid++;
            return false;
        }
        p.add(fragmentOffset, buf, off, len);
        if (!p.complete()) {
            return false;
        }
        pending.remove(key);
        reassembled++;
        doneData = p.data;
        doneLength = p.total;
        return true;
    }

    /** @return the bytes of the datagram completed by the last {@link #offer} */
    byte[] data() {
        return doneData;
    }

    /** @return its length */
    int length() {
        return doneLength;
    }

    /** @return datagrams in reassembly now */
    int inProgress() {
        return pending.size();
    }

    /**
     * Drops datagrams whose first fragment is older than the timeout. Time is the capture time of
     * packets (so capture files expire by their own clock), never earlier than seen before.
     *
     * @param nowNanos the current capture time
     */
    void expire(long nowNanos) {
        if (nowNanos > newestNanos) {
            newestNanos = nowNanos;
        }
        Iterator<Pending> it = pending.values().iterator();
        while (it.hasNext()) {
            Pending p = it.next();
            if (newestNanos - p.firstSeenNanos <= timeoutNanos) {
                break; // insertion order is first-seen order
            }
            it.remove();
            timeouts++;
        }
    }

    private static long hi(byte[] a, int n) {
        return n == 4 ? 0 : bytesToLong(a, 0);
    }

    private static long lo(byte[] a, int n) {
        return n == 4 ? ((a[0] & 0xffL) << 24 | (a[1] & 0xffL) << 16 | (a[2] & 0xffL) << 8 | (a[3] & 0xffL))
                : bytesToLong(a, 8);
    }

    private static long bytesToLong(byte[] a, int o) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (a[o + i] & 0xffL);
        }
        return v;
    }
}
