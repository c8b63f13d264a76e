package org.callrec.rtp.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.audio.GapMarker;
import org.callrec.api.audio.PcmSink;
import org.callrec.api.rtp.RawPayload;
import org.callrec.api.storage.RawPayloadSink;

/** A recording channel in memory: PCM on its sample clock, gaps, DTMF and raw payloads as received. */
final class CollectingSink implements PcmSink, RawPayloadSink {

    short[] pcm = new short[8000];
    long end;
    long overwrites;
    long pcmCalls;
    final List<GapMarker> gaps = new ArrayList<>();
    final List<DtmfEvent> dtmf = new ArrayList<>();
    final List<RawPayload> raw = new ArrayList<>();

    @Override
    public void pcm(long samplePosition, short[] samples, int offset, int length) {
        pcmCalls++;
        if (samplePosition < end) {
            overwrites++;
        }
        int need = (int) (samplePosition + length);
        if (need > pcm.length) {
            pcm = Arrays.copyOf(pcm, Math.max(need, pcm.length * 2));
        }
        System.arraycopy(samples, offset, pcm, (int) samplePosition, length);
        end = Math.max(end, samplePosition + length);
    }

    @Override
    public void gap(GapMarker gap) {
        gaps.add(gap);
        end = Math.max(end, gap.startSample() + gap.samples());
        if (end > pcm.length) {
            pcm = Arrays.copyOf(pcm, (int) Math.max(end, pcm.length * 2L));
        }
    }

    @Override
    public void dtmf(DtmfEvent event) {
        dtmf.add(event);
    }

    @Override
    public void payload(long samplePosition, byte[] payload, int offset, int length) {
        raw.add(new RawPayload(samplePosition, Arrays.copyOfRange(payload, offset, offset + length)));
    }

    short[] written() {
        return Arrays.copyOf(pcm, (int) end);
    }
}
