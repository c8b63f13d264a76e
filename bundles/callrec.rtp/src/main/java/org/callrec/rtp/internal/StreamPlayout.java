package org.callrec.rtp.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Function;

import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.audio.GapMarker;
import org.callrec.api.audio.PcmSink;
import org.callrec.api.rtp.AudioDecoder;
import org.callrec.api.rtp.DecoderFactory;
import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.rtp.Playout;
import org.callrec.api.rtp.RawPayload;
import org.callrec.api.rtp.RtcpStats;
import org.callrec.api.rtp.StreamStats;
import org.callrec.api.storage.RawPayloadSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Play-out of one RTP stream direction by RTP timestamp.
 *
 * <p>Timing: every packet gets an absolute position on the recording's clock from its (unwrapped)
 * timestamp and its segment's anchor. A segment is one run of a stream with a continuous timestamp;
 * an SSRC change or a timestamp jump that the arrival times do not explain starts a new one, which
 * is anchored from arrival times (the least-delayed packets) so that the output follows real time
 * without drift. A packet is played once the play-out clock (arrival time minus the smallest
 * transit seen, minus the reorder window) has passed its position; whatever arrives after its slot
 * is late.
 */
final class StreamPlayout implements Playout {

    private static final Logger LOG = LoggerFactory.getLogger(StreamPlayout.class);
    private static final long NANOS_PER_SAMPLE = 125_000;
    private static final int SEEN_RING = 4096;
    private static final int MAX_SEQ_STEP = 3000;
    /** Sliding minimum of transit: two buckets of this many samples (2 s). */
    private static final long TRANSIT_BUCKET = 16_000;
    private static final int CHUNK = 1600;
    private static final int WARN_LIMIT = 3;
    /**
     * Bounds on what waits (about a minute of 20 ms packets): if arrival times stop advancing (a
     * capture that stamps nothing), play out by order rather than grow without end.
     */
    private static final int MAX_WAITING = 3000;
    /** Longer gaps inside a segment are marked, not concealed (the later raw decode follows the same rule). */
    static final long MAX_CONCEAL_SAMPLES = 60L * 8000;

    private static final int KIND_AUDIO = 0;
    private static final int KIND_G729 = 1;
    private static final int KIND_CN = 2;
    private static final int KIND_EVENT = 3;

    private final PayloadFormat[] formats = new PayloadFormat[128];
    /** Per payload type, what its encoding is to the play-out: decided once, not per packet. */
    private final int[] kinds = new int[128];
    private final Function<String, DecoderFactory> codecs;
    private final long startSample;
    private final int channel;
    private final PcmSink sink;
    private final RawPayloadSink raw;
    private final long window;
    private final long resync;
    private final long anchorHold;

    private final PriorityQueue<Queued> queue = new PriorityQueue<>();
    private final long[] seen = new long[SEEN_RING];
    private final Map<String, AudioDecoder> decoders = new HashMap<>();
    private final java.util.Set<String> rawEncodings = new java.util.HashSet<>();
    private final RtpHeader header = new RtpHeader();
    private short[] pcm = new short[CHUNK];

    private Segment current;
    private Segment previous;
    private final List<Queued> pending = new ArrayList<>();
    private long pendingDeadline;
    private long pendingHold;
    private int segments;

    private long nowSamples = Long.MIN_VALUE;
    private long transitMin = Long.MAX_VALUE;
    private long transitPrevMin = Long.MAX_VALUE;
    private long transitBucketStart = Long.MIN_VALUE;

    // play-out position state
    private long nextPos = -1;
    private int lastSegment = -1;
    private long lastSsrc = -1;
    private long lastExtSeq;
    private AudioDecoder lastDecoder;
    // the decoder of the last encoding played (its name compared by identity: the same format object's)
    private String cachedEncoding;
    private AudioDecoder cachedDecoder;
    private boolean lastWasRaw;
    private boolean silence;

    // DTMF state: the event being received
    private int dtmfSegment = -1;
    private long dtmfExtTs;
    private int dtmfEvent = -1;
    private int dtmfDuration;
    private int dtmfVolume;
    private long dtmfPos;
    private boolean dtmfEmitted;

    // counters
    private long received;
    private long lostClosed;
    private long late;
    private long duplicated;
    private long reordered;
    private long malformed;
    private long concealedSamples;
    private double maxJitter;
    private long rtcpPackets;
    private long senderReports;
    private RtcpStats lastSr = RtcpStats.EMPTY;
    private boolean decodePending;
    private String lastError;
    private boolean closed;

    StreamPlayout(List<PayloadFormat> allowed, Function<String, DecoderFactory> codecs, long startSample, int channel,
            PcmSink sink, RawPayloadSink raw, long windowSamples, long resyncSamples) {
        if (startSample < 0) {
            throw new IllegalArgumentException("start sample must be >= 0: " + startSample);
        }
        for (PayloadFormat f : List.of(PayloadFormat.PCMU, PayloadFormat.PCMA, PayloadFormat.G729, PayloadFormat.CN)) {
            formats[f.payloadType()] = f;
        }
        for (PayloadFormat f : allowed) {
            formats[f.payloadType()] = f;
        }
        for (int pt = 0; pt < formats.length; pt++) {
            kinds[pt] = formats[pt] == null ? KIND_AUDIO : switch (formats[pt].encoding()) {
                case "G729" -> KIND_G729;
                case "CN" -> KIND_CN;
                case "TELEPHONE-EVENT" -> KIND_EVENT;
                default -> KIND_AUDIO;
            };
        }
        this.codecs = codecs;
        this.startSample = startSample;
        this.channel = channel;
        this.sink = java.util.Objects.requireNonNull(sink, "sink");
        this.raw = raw;
        this.window = windowSamples;
        this.resync = resyncSamples;
        this.anchorHold = Math.max(windowSamples, 4000);
        Arrays.fill(seen, Long.MIN_VALUE);
    }

    /** One run of a stream with a continuous timestamp. */
    private static final class Segment {
        final int id;
        final long ssrc;
        long minExtSeq;
        long maxExtSeq;
        long maxExtTs;
        long arrivalAtMax;
        long basePos = Long.MIN_VALUE;
        long unique;
        long lastTransit = Long.MIN_VALUE;
        double jitter;

        Segment(int id, long ssrc, int seq, long ts, long arrival) {
            this.id = id;
            this.ssrc = ssrc;
            this.minExtSeq = seq;
            this.maxExtSeq = seq;
            this.maxExtTs = ts;
            this.arrivalAtMax = arrival;
        }

        long extSeq(int seq) {
            return maxExtSeq + (short) (seq - (int) maxExtSeq);
        }

        long extTs(long ts) {
            return maxExtTs + (int) (ts - maxExtTs);
        }

        boolean anchored() {
            return basePos != Long.MIN_VALUE;
        }

        long expected() {
            return maxExtSeq - minExtSeq + 1;
        }
    }

    /**
     * A packet waiting for its play-out time, with its own copy of the payload. Two short-lived
     * objects per packet are cheap for the young generation; recycling them was measured dearer
     * (objects grown old take G1's card-marking barrier on every reference written into them).
     */
    private static final class Queued implements Comparable<Queued> {
        long pos;
        int segment;
        long ssrc;
        long extSeq;
        long extTs;
        PayloadFormat format;
        int kind;
        byte[] payload;
        int length;
        int samples;
        boolean marker;
        long arrival;

        @Override
        public int compareTo(Queued o) {
            int c = Long.compare(pos, o.pos);
            return c != 0 ? c : Long.compare(extSeq, o.extSeq);
        }
    }

    @Override
    public void offer(byte[] packet, int offset, int length, long arrivalNanos) {
        if (closed) {
            return;
        }
        try {
            long arrival = Math.floorDiv(arrivalNanos, NANOS_PER_SAMPLE);
            if (packet != null && offset >= 0 && length >= 0 && offset <= packet.length - length
                    && RtpHeader.isRtcp(packet, offset, length)) {
                rtcp(packet, offset, length);
                return;
            }
            String error = header.parse(packet, offset, length);
            if (error != null) {
                malformed(error);
                return;
            }
            PayloadFormat format = formats[header.payloadType];
            if (format == null) {
                malformed("payload type " + header.payloadType + " is not in the SDP of this stream");
                return;
            }
            clock(arrival);
            accept(packet, format, kinds[header.payloadType], arrival);
            anchorIfDue();
            release();
        } catch (RuntimeException e) {
            // One bad packet must never break the capture pipeline: count it and carry on.
            malformed("unexpected " + e);
        }
    }

    @Override
    public void advance(long nowNanos) {
        if (closed) {
            return;
        }
        clock(Math.floorDiv(nowNanos, NANOS_PER_SAMPLE));
        anchorIfDue();
        release();
    }

    private void clock(long arrival) {
        if (arrival > nowSamples) {
            nowSamples = arrival;
        }
    }

    private void accept(byte[] packet, PayloadFormat format, int kind, long arrival) {
        Segment seg = classify(arrival);
        long extSeq = seg.extSeq(header.sequence);
        int ring = (int) (extSeq & (SEEN_RING - 1));
        long key = seenKey(seg.id, extSeq);
        if (seen[ring] == key) {
            duplicated++;
            return;
        }
        seen[ring] = key;
        seg.unique++;
        long extTs = seg.extTs(header.timestamp);
        if (extSeq < seg.maxExtSeq) {
            reordered++;
            seg.minExtSeq = Math.min(seg.minExtSeq, extSeq);
        } else {
            seg.maxExtSeq = extSeq;
        }
        if (extTs > seg.maxExtTs) {
            seg.maxExtTs = extTs;
            seg.arrivalAtMax = arrival;
        }
        // RFC 3550 A.8 interarrival jitter, in timestamp units (8 kHz)
        long transit = arrival - extTs;
        if (seg.lastTransit != Long.MIN_VALUE) {
            long d = Math.abs(transit - seg.lastTransit);
            seg.jitter += (d - seg.jitter) / 16.0;
            maxJitter = Math.max(maxJitter, seg.jitter);
        }
        seg.lastTransit = transit;

        if (kind == KIND_EVENT) {
            dtmf(packet, seg, extTs, arrival);
            return;
        }
        Queued q = new Queued();
        int length = header.payloadLength;
        q.payload = Arrays.copyOfRange(packet, header.payloadOffset, header.payloadOffset + length);
        q.length = length;
        q.pos = seg.anchored() ? seg.basePos + extTs : Long.MIN_VALUE;
        q.segment = seg.id;
        q.ssrc = seg.ssrc;
        q.extSeq = extSeq;
        q.extTs = extTs;
        q.format = format;
        q.kind = kind;
        q.samples = samplesOf(kind, length);
        q.marker = header.marker;
        q.arrival = arrival;
        if (seg.anchored()) {
            enqueue(q);
        } else {
            pending.add(q);
        }
    }

    private static long seenKey(int segment, long extSeq) {
        return ((long) segment << 40) ^ (extSeq & 0xFF_FFFF_FFFFL);
    }

    /** Finds the segment a packet belongs to, starting a new one on an SSRC change or a timestamp jump. */
    private Segment classify(long arrival) {
        if (current == null) {
            // held for one reorder window, so that a packet overtaken by its successor still starts the stream
            current = new Segment(segments++, header.ssrc, header.sequence, header.timestamp, arrival);
            pendingDeadline = arrival + window;
            pendingHold = window;
            return current;
        }
        if (header.ssrc == current.ssrc && continues(current, arrival)) {
            return current;
        }
        if (previous != null && header.ssrc == previous.ssrc
                && Math.abs(previous.extTs(header.timestamp) - previous.maxExtTs) <= 4 * window
                && Math.abs((short) (header.sequence - (int) previous.maxExtSeq)) <= MAX_SEQ_STEP) {
            return previous; // a straggler from before the change
        }
        String why = header.ssrc != current.ssrc
                ? String.format("SSRC %08x -> %08x", current.ssrc, header.ssrc)
                : "timestamp jump of " + (current.extTs(header.timestamp) - current.maxExtTs) / 8 + " ms";
        LOG.debug("channel {}: resynchronising after {}", channel, why);
        if (!current.anchored()) {
            anchor();
        }
        if (previous != null) {
            lostClosed += Math.max(0, previous.expected() - previous.unique);
        }
        previous = current;
        current = new Segment(segments++, header.ssrc, header.sequence, header.timestamp, arrival);
        pendingDeadline = arrival + anchorHold;
        pendingHold = anchorHold;
        return current;
    }

    /** Whether a packet of the same SSRC continues the segment: its timestamp moved as its arrival did. */
    private boolean continues(Segment seg, long arrival) {
        if (Math.abs((short) (header.sequence - (int) seg.maxExtSeq)) > MAX_SEQ_STEP) {
            return false;
        }
        long tsDelta = seg.extTs(header.timestamp) - seg.maxExtTs;
        long arrivalDelta = arrival - seg.arrivalAtMax;
        return Math.abs(tsDelta - arrivalDelta) <= resync;
    }

    private void anchorIfDue() {
        if (current == null || current.anchored() || pending.isEmpty()) {
            return;
        }
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (Queued q : pending) {
            lo = Math.min(lo, q.extTs);
            hi = Math.max(hi, q.extTs);
        }
        if (nowSamples >= pendingDeadline || hi - lo >= pendingHold || pending.size() >= MAX_WAITING) {
            anchor();
        }
    }

    /**
     * Places a new segment on the recording's clock: its least-delayed packet gets the smallest
     * transit seen before the change, so the segment starts where real time says, and never
     * overlaps audio already placed.
     */
    private void anchor() {
        Segment seg = current;
        long floor = Math.max(nextPos, queuedEnd);
        long minTransit = minTransit();
        long base = Long.MAX_VALUE;
        long firstTs = Long.MAX_VALUE;
        for (Queued q : pending) {
            firstTs = Math.min(firstTs, q.extTs);
            if (minTransit != Long.MAX_VALUE) {
                base = Math.min(base, q.arrival - minTransit - q.extTs);
            }
        }
        if (pending.isEmpty()) {
            firstTs = seg.maxExtTs;
        }
        if (previous == null) {
            base = startSample - firstTs; // the stream's first sound goes where the caller said
        } else if (base == Long.MAX_VALUE || base + firstTs < floor) {
            base = floor - firstTs;
        }
        seg.basePos = Math.max(base, startSample - firstTs);
        for (Queued q : pending) {
            q.pos = seg.basePos + q.extTs;
            enqueue(q);
        }
        pending.clear();
    }

    private long queuedEnd = -1;

    private void enqueue(Queued q) {
        long transit = q.arrival - q.pos;
        if (transitBucketStart == Long.MIN_VALUE || q.arrival - transitBucketStart >= TRANSIT_BUCKET) {
            transitPrevMin = transitMin;
            transitMin = Long.MAX_VALUE;
            transitBucketStart = q.arrival;
        }
        transitMin = Math.min(transitMin, transit);
        queuedEnd = Math.max(queuedEnd, q.pos + q.samples);
        queue.add(q);
    }

    private long minTransit() {
        return Math.min(transitMin, transitPrevMin);
    }

    private static int samplesOf(int kind, int length) {
        return switch (kind) {
            case KIND_G729 -> (length / 10 + (length % 10 == 2 ? 1 : 0)) * 80;
            case KIND_CN -> 0;
            default -> length;
        };
    }

    private void release() {
        while (queue.size() > MAX_WAITING) {
            play(queue.poll());
        }
        long minTransit = minTransit();
        if (minTransit == Long.MAX_VALUE) {
            return;
        }
        long clock = nowSamples - minTransit - window;
        while (!queue.isEmpty() && queue.peek().pos <= clock) {
            play(queue.poll());
        }
    }

    private void play(Queued q) {
        if (q.pos < startSample || nextPos >= 0 && q.pos < nextPos) {
            late++;
            return;
        }
        received++;
        boolean resynced = nextPos >= 0 && q.segment != lastSegment;
        boolean newEncoder = resynced && q.ssrc != lastSsrc;
        if (resynced) {
            if (q.pos > nextPos) {
                sink.gap(new GapMarker(channel, nextPos, q.pos - nextPos, GapMarker.Reason.RESYNC));
            }
            if (newEncoder) {
                // A new SSRC is a new encoder: decode it afresh (a timestamp jump keeps the encoder's state).
                decoders.values().forEach(AudioDecoder::close);
                decoders.clear();
                lastDecoder = null;
                cachedEncoding = null;
                cachedDecoder = null;
            }
            nextPos = q.pos;
        }
        lastSsrc = q.ssrc;
        String encoding = q.format.encoding();
        boolean cn = q.kind == KIND_CN;
        AudioDecoder decoder = null;
        boolean toRaw = false;
        if (!cn && encoding == cachedEncoding) {
            decoder = cachedDecoder;
        } else if (!cn) {
            toRaw = rawEncodings.contains(encoding);
            if (!toRaw) {
                decoder = decoders.get(encoding);
                if (decoder == null) {
                    DecoderFactory factory = codecs.apply(encoding);
                    if (factory == null) {
                        received--;
                        malformed("no decoder for encoding " + encoding);
                        return;
                    }
                    if (factory.available()) {
                        decoder = factory.create();
                        decoders.put(encoding, decoder);
                    } else {
                        toRaw = true;
                        rawEncodings.add(encoding);
                        if (raw == null) {
                            LOG.error("channel {}: {} cannot be decoded here and no raw store was given: its audio "
                                    + "becomes a gap", channel, encoding);
                        }
                    }
                }
            }
            if (decoder != null) {
                cachedEncoding = encoding;
                cachedDecoder = decoder;
            }
        }
        if (nextPos >= 0 && q.pos > nextPos) {
            fillGap(q);
        }
        if (resynced && toRaw && raw != null) {
            // tells the later decode what happened here, so that it decodes exactly as we would have
            byte[] marker = newEncoder ? RawPayload.RESYNC_NEW_ENCODER : RawPayload.RESYNC_KEEP_DECODER;
            raw.payload(q.pos, marker, 0, marker.length);
        }
        lastSegment = q.segment;
        lastExtSeq = q.extSeq;
        if (cn) {
            // RFC 3389: comfort noise until the next packet; we record it as silence.
            silence = true;
            nextPos = q.pos;
            return;
        }
        silence = false;
        lastWasRaw = toRaw;
        int samples = q.samples;
        if (toRaw) {
            if (raw != null) {
                decodePending = true;
                raw.payload(q.pos, q.payload, 0, q.length);
            } else {
                sink.gap(new GapMarker(channel, q.pos, samples, GapMarker.Reason.LOSS));
            }
            nextPos = q.pos + samples;
            return;
        }
        int expected = decoder.samplesIn(q.length);
        if (expected < 0) {
            received--;
            malformed(encoding + " payload of " + q.length + " bytes is not a whole number of frames");
            return;
        }
        if (pcm.length < expected) {
            pcm = new short[expected];
        }
        int n;
        try {
            n = decoder.decode(q.payload, 0, q.length, pcm, 0);
        } catch (IllegalArgumentException e) {
            received--;
            malformed(e.getMessage());
            return;
        }
        sink.pcm(q.pos, pcm, 0, n);
        lastDecoder = decoder;
        nextPos = q.pos + n;
    }

    /** Fills [nextPos, q.pos) within a segment: concealed loss, or silence (DTX, comfort noise). */
    private void fillGap(Queued q) {
        long gap = q.pos - nextPos;
        long missing = silence ? 0 : missingBetween(q.segment, lastExtSeq, q.extSeq);
        if (lastWasRaw || lastDecoder == null) {
            // raw payloads: the later decode fills the gap the same way from their positions
            return;
        }
        if (gap > MAX_CONCEAL_SAMPLES) {
            sink.gap(new GapMarker(channel, nextPos, gap, GapMarker.Reason.LOSS));
            return;
        }
        boolean g729 = "G729".equals(lastDecoder.encoding());
        long lost = gap;
        if (missing > 0 && q.marker) {
            // The marker starts a talkspurt (RFC 3551 section 4.1): only the missing packets' worth at the
            // start of the gap was lost (the end of the last talkspurt); the rest was silence.
            lost = Math.min(gap, missing * Math.max(1, q.samples));
        }
        if (missing > 0) {
            concealedSamples += lost;
        }
        if (missing > 0 && !g729) {
            conceal(lastDecoder, lost);
        } else if (!silence && g729) {
            // G.729 conceals loss, and for DTX Annex B makes comfort noise from the last SID, both from
            // "no frame" input
            conceal(lastDecoder, gap);
        }
        // G.711 DTX and comfort noise: the sink fills the gap with silence
    }

    private void conceal(AudioDecoder decoder, long gap) {
        long pos = nextPos;
        long left = gap;
        if (pcm.length < CHUNK) {
            pcm = new short[CHUNK];
        }
        while (left > 0) {
            int n = (int) Math.min(CHUNK, left);
            decoder.conceal(pcm, 0, n);
            sink.pcm(pos, pcm, 0, n);
            pos += n;
            left -= n;
        }
    }

    /** @return how many sequence numbers between two played packets were never received */
    private long missingBetween(int segment, long from, long to) {
        if (to - from > SEEN_RING / 2) {
            return to - from - 1;
        }
        long missing = 0;
        for (long s = from + 1; s < to; s++) {
            if (seen[(int) (s & (SEEN_RING - 1))] != seenKey(segment, s)) {
                missing++;
            }
        }
        return missing;
    }

    /** RFC 4733 telephone-event: a digit is one event timestamp; its packets repeat with a growing duration. */
    private void dtmf(byte[] packet, Segment seg, long extTs, long arrival) {
        if (header.payloadLength < 4) {
            seg.unique--;
            malformed("telephone-event payload of " + header.payloadLength + " bytes, needs 4");
            return;
        }
        received++;
        int p = header.payloadOffset;
        int event = packet[p] & 0xFF;
        boolean end = (packet[p + 1] & 0x80) != 0;
        int volume = packet[p + 1] & 0x3F;
        int duration = ((packet[p + 2] & 0xFF) << 8) | (packet[p + 3] & 0xFF);
        if (event > 16) {
            return; // other tones (RFC 4734) are not DTMF
        }
        if (seg.id != dtmfSegment || extTs != dtmfExtTs) {
            if (seg.id == emittedSegment && extTs == emittedExtTs) {
                return; // a retransmitted end packet of a digit already recorded
            }
            if (dtmfEvent >= 0 && !dtmfEmitted) {
                emitDtmf();
            }
            dtmfSegment = seg.id;
            dtmfExtTs = extTs;
            dtmfEvent = event;
            dtmfDuration = duration;
            dtmfEmitted = false;
            long minTransit = minTransit();
            dtmfPos = seg.anchored() ? seg.basePos + extTs
                    : minTransit != Long.MAX_VALUE ? arrival - minTransit : Math.max(nextPos, startSample);
        } else {
            dtmfDuration = Math.max(dtmfDuration, duration);
        }
        dtmfVolume = volume;
        if (end && !dtmfEmitted) {
            emitDtmf();
        }
    }

    private int emittedSegment = -1;
    private long emittedExtTs;

    private void emitDtmf() {
        dtmfEmitted = true;
        emittedSegment = dtmfSegment;
        emittedExtTs = dtmfExtTs;
        sink.dtmf(new DtmfEvent(channel, "0123456789*#ABCDF".charAt(dtmfEvent), Math.max(0, dtmfPos), dtmfDuration,
                dtmfVolume));
    }

    /** RTCP (RFC 3550 section 6.4): counted, sender reports kept for statistics, never decoded as audio. */
    private void rtcp(byte[] buf, int offset, int length) {
        int i = offset;
        int end = offset + length;
        boolean sr = false;
        while (i < end) {
            if (end - i < 4 || (buf[i] & 0xC0) != 0x80) {
                malformed("RTCP: truncated or not version 2 at byte " + (i - offset));
                return;
            }
            int type = buf[i + 1] & 0xFF;
            int size = ((((buf[i + 2] & 0xFF) << 8) | (buf[i + 3] & 0xFF)) + 1) * 4;
            if (size > end - i) {
                malformed("RTCP: packet of " + size + " bytes runs past the datagram end");
                return;
            }
            if (type == 200) {
                if (size < 28) {
                    malformed("RTCP: sender report of " + size + " bytes, needs 28");
                    return;
                }
                sr = true;
                lastSr = new RtcpStats(0, 0, RtpHeader.u32(buf, i + 4),
                        (RtpHeader.u32(buf, i + 8) << 32) | RtpHeader.u32(buf, i + 12), RtpHeader.u32(buf, i + 16),
                        RtpHeader.u32(buf, i + 20), RtpHeader.u32(buf, i + 24));
            }
            i += size;
        }
        rtcpPackets++;
        if (sr) {
            senderReports++;
        }
    }

    private void malformed(String why) {
        malformed++;
        lastError = why;
        if (malformed <= WARN_LIMIT) {
            LOG.warn("channel {}: dropped a malformed packet: {}", channel, why);
        } else {
            LOG.debug("channel {}: dropped a malformed packet: {}", channel, why);
        }
    }

    /** @return what was wrong with the last malformed packet, or null */
    String lastError() {
        return lastError;
    }

    @Override
    public StreamStats stats() {
        long lost = lostClosed;
        for (Segment s : new Segment[] {previous, current}) {
            if (s != null) {
                lost += Math.max(0, s.expected() - s.unique);
            }
        }
        return new StreamStats(received, lost, late, duplicated, reordered, malformed,
                concealedSamples / 8, maxJitter / 8.0);
    }

    @Override
    public RtcpStats rtcp() {
        return new RtcpStats(rtcpPackets, senderReports, lastSr.lastSenderSsrc(), lastSr.lastNtpTimestamp(),
                lastSr.lastRtpTimestamp(), lastSr.senderPacketCount(), lastSr.senderOctetCount());
    }

    @Override
    public boolean decodePending() {
        return decodePending;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            if (current != null && !current.anchored()) {
                anchor();
            }
            while (!queue.isEmpty()) {
                play(queue.poll());
            }
            if (dtmfEvent >= 0 && !dtmfEmitted) {
                emitDtmf();
            }
        } finally {
            closed = true;
            decoders.values().forEach(AudioDecoder::close);
            decoders.clear();
        }
    }
}
