package org.callrec.capture.mirror.internal.live;

/**
 * libpcap's counters of a live capture (pcap_stats(3PCAP)), as a snapshot.
 *
 * @param received packets that passed the filter, whether or not they were delivered
 * @param dropped packets that passed the filter but were dropped because the buffer was full
 * @param droppedByInterface packets the NIC or its driver dropped (where the OS says)
 * @param delivered frames handed to the decoder
 */
public record CaptureCounters(long received, long dropped, long droppedByInterface, long delivered) {

    /** Nothing yet. */
    public static final CaptureCounters EMPTY = new CaptureCounters(0, 0, 0, 0);
}
