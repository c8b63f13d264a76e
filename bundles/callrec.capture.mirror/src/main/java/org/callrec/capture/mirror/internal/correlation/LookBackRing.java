package org.callrec.capture.mirror.internal.correlation;

import org.callrec.capture.mirror.internal.packet.UdpDatagram;

/**
 * The last N RTP datagrams of watched phones, copied into slots that are allocated once and
 * reused, so keeping the look-back costs no allocation per packet once warm.
 */
final class LookBackRing {

    /** Receives a replayed datagram with its original capture time. */
    interface Replay {
        void datagram(UdpDatagram d, long timestampNanos);
    }

    private final UdpDatagram[] slots;
    private int next;
    private int size;

    LookBackRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("look-back capacity must be > 0");
        }
        slots = new UdpDatagram[capacity];
    }

    void add(UdpDatagram d) {
        UdpDatagram slot = slots[next];
        if (slot == null) {
            slot = new UdpDatagram();
            slots[next] = slot;
        }
        slot.copyFrom(d);
        next = (next + 1) % slots.length;
        size = Math.min(size + 1, slots.length);
    }

    /** Replays, oldest first, the datagrams captured at or after {@code fromNanos}; returns how many. */
    int replay(long fromNanos, Replay replay) {
        int count = 0;
        for (int i = 0; i < size; i++) {
            UdpDatagram d = slots[(next - size + i + slots.length) % slots.length];
            if (d.timestampNanos() >= fromNanos) {
                replay.datagram(d, d.timestampNanos());
                count++;
            }
        }
        return count;
    }
}
