package org.callrec.capture.mirror.internal;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.callrec.api.audio.AudioFormat;
import org.callrec.api.call.CallEvent;
import org.callrec.api.capture.CaptureSession;
import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.rtp.Playout;
import org.callrec.api.rtp.PlayoutFactory;
import org.callrec.api.storage.RawPayloadSink;
import org.callrec.api.storage.Recording;
import org.callrec.capture.mirror.internal.correlation.RtpCorrelator;
import org.callrec.capture.mirror.internal.correlation.StreamReceiver;

/**
 * One call recorded from the mirror port: the correlator's packets for the call go into one
 * play-out per direction, user's side on the left channel, the other party on the right. A
 * direction's play-out opens on its first packet, placed on the recording's clock by arrival time
 * relative to the first packet of the call, so both channels stay aligned. Packets and play-outs
 * are handled on the capture thread only.
 */
final class MirrorSession implements CaptureSession, StreamReceiver {

    private static final long STOP_WAIT_MILLIS = 2000;

    private final RtpCorrelator correlator;
    private final PlayoutFactory playouts;
    private final Recording recording;
    private final List<PayloadFormat> formats;
    private final Playout[] channels = new Playout[2];
    private final int[] lastPayloadType = {-1, -1};
    private long firstPacketNanos = Long.MIN_VALUE;
    private volatile boolean stopped;
    private volatile long packets;
    private Runnable onStop = () -> { };

    MirrorSession(RtpCorrelator correlator, PlayoutFactory playouts, Recording recording,
            List<PayloadFormat> formats) {
        this.correlator = correlator;
        this.playouts = playouts;
        this.recording = recording;
        this.formats = formats;
    }

    @Override
    public void rtp(int channel, byte[] rtp, int offset, int length, long timestampNanos) {
        packets++; // written on the capture thread only; read by diagnostics
        if (firstPacketNanos == Long.MIN_VALUE) {
            firstPacketNanos = timestampNanos;
        }
        Playout p = channels[channel];
        if (p == null) {
            long startSample = Math.max(0, (timestampNanos - firstPacketNanos) / 1_000_000L * AudioFormat.SAMPLES_PER_MS);
            p = playouts.open(formats, startSample, channel, recording.channel(channel), rawStore(channel));
            channels[channel] = p;
        }
        if (length > 1) {
            int pt = rtp[offset + 1] & 0x7f;
            if (pt != lastPayloadType[channel]) {
                lastPayloadType[channel] = pt;
                annotateCodec(pt);
            }
        }
        p.offer(rtp, offset, length, timestampNanos);
    }

    /** The catalog lists the codecs a call used; a payload type outside the SDP's is the play-out's to report. */
    private void annotateCodec(int payloadType) {
        for (PayloadFormat f : formats) {
            if (f.payloadType() == payloadType && !"CN".equals(f.encoding()) && !"telephone-event".equals(f.encoding())) {
                recording.annotate("codec", f.encoding());
                return;
            }
        }
    }

    /**
     * Where payloads go that cannot be decoded here now (G.729 without the OS library). Opened on
     * first use only: opening it marks the recording decode-pending.
     */
    private RawPayloadSink rawStore(int channel) {
        PayloadFormat g729 = formats.stream().filter(f -> "G729".equals(f.encoding())).findFirst().orElse(PayloadFormat.G729);
        RawPayloadSink[] store = new RawPayloadSink[1];
        return (position, payload, offset, length) -> {
            if (store[0] == null) {
                store[0] = recording.raw(channel, g729);
            }
            store[0].payload(position, payload, offset, length);
        };
    }

    /** @return RTP packets bound to this call so far */
    long packets() {
        return packets;
    }

    /** @param onStop run once when the session stops */
    void onStop(Runnable onStop) {
        this.onStop = onStop;
    }

    @Override
    public void advance(long nowNanos) {
        for (Playout p : channels) {
            if (p != null) {
                p.advance(nowNanos);
            }
        }
    }

    @Override
    public void update(CallEvent event) {
        // Hold, resume, transfer and conference keep the same phone and streams: the play-out
        // marks the silence of a hold as a gap; following a transfer to another phone is not built yet.
    }

    @Override
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        CountDownLatch closed = new CountDownLatch(1);
        correlator.unbind(this, () -> {
            closePlayouts();
            closed.countDown();
        });
        // after the release is queued: whoever sees the call no longer captured (the offline import)
        // knows the release reaches the correlator before any later bind of the same phone
        onStop.run();
        try {
            if (!closed.await(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                // no capture thread is running (NIC down): nothing races us, close here
                correlator.applyPending();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closePlayouts() {
        long received = 0;
        long lost = 0;
        for (int c = 0; c < channels.length; c++) {
            Playout p = channels[c];
            if (p != null) {
                p.close();
                received += p.stats().received();
                lost += p.stats().lost();
            }
        }
        recording.annotate("packets.received", Long.toString(received));
        recording.annotate("packets.lost", Long.toString(lost));
        // catalog counters are numbers: 0 directions means no RTP was seen to or from the user's phone
        recording.annotate("rtp.directions", Long.toString((channels[0] == null ? 0 : 1) + (channels[1] == null ? 0 : 1)));
    }
}
