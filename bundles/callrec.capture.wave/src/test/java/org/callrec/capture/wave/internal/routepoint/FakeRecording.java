package org.callrec.capture.wave.internal.routepoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.audio.GapMarker;
import org.callrec.api.audio.PcmSink;
import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.storage.RawPayloadSink;
import org.callrec.api.storage.Recording;
import org.callrec.api.storage.RecordingMetadata;
import org.callrec.api.storage.RecordingStatus;

/** A recording in memory: channel 0 as a sample array on the recording's clock, gaps, notes, how it was closed. */
public final class FakeRecording implements Recording {

    public final List<GapMarker> gaps = new ArrayList<>();
    public final List<long[]> writes = new ArrayList<>();
    public final Map<String, String> notes = new LinkedHashMap<>();
    public RecordingStatus closedWith;
    public String closeReason;
    public int closes;
    public final List<Integer> channelsAsked = new ArrayList<>();
    private short[] audio = new short[0];
    private long end;

    @Override
    public String id() {
        return "rec-1";
    }

    @Override
    public RecordingMetadata metadata() {
        return null;
    }

    @Override
    public synchronized PcmSink channel(int channel) {
        channelsAsked.add(channel);
        return new PcmSink() {
            @Override
            public void pcm(long pos, short[] samples, int offset, int length) {
                synchronized (FakeRecording.this) {
                    if (closedWith != null) {
                        throw new IllegalStateException("write after close");
                    }
                    writes.add(new long[] {pos, length});
                    int need = (int) (pos + length);
                    if (audio.length < need) {
                        audio = Arrays.copyOf(audio, Math.max(need, audio.length * 2));
                    }
                    System.arraycopy(samples, offset, audio, (int) pos, length);
                    end = Math.max(end, pos + length);
                }
            }

            @Override
            public void gap(GapMarker gap) {
                synchronized (FakeRecording.this) {
                    gaps.add(gap);
                    end = Math.max(end, gap.startSample() + gap.samples());
                }
            }

            @Override
            public void dtmf(DtmfEvent event) {
            }
        };
    }

    /** @return the audio written so far, silence where nothing was */
    public synchronized short[] audio() {
        return Arrays.copyOf(audio, (int) end);
    }

    @Override
    public RawPayloadSink raw(int channel, PayloadFormat format) {
        throw new UnsupportedOperationException("the Route Point writes decoded mono PCM");
    }

    @Override
    public synchronized void annotate(String key, String value) {
        notes.put(key, value);
    }

    @Override
    public synchronized void close(RecordingStatus status, String reason) {
        closes++;
        if (closedWith == null) {
            closedWith = status;
            closeReason = reason;
        }
    }
}
