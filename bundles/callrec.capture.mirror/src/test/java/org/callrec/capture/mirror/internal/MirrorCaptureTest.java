package org.callrec.capture.mirror.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.audio.GapMarker;
import org.callrec.api.audio.PcmSink;
import org.callrec.api.call.CallEvent;
import org.callrec.api.call.CallEventType;
import org.callrec.api.capture.CaptureException;
import org.callrec.api.capture.CaptureRequest;
import org.callrec.api.capture.CaptureSession;
import org.callrec.api.directory.User;
import org.callrec.api.directory.UserDirectory;
import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.rtp.Playout;
import org.callrec.api.rtp.PlayoutFactory;
import org.callrec.api.rtp.StreamStats;
import org.callrec.api.storage.RawPayloadSink;
import org.callrec.api.storage.Recording;
import org.callrec.api.storage.RecordingMetadata;
import org.callrec.api.storage.RecordingStatus;
import org.callrec.capture.mirror.internal.packet.FrameDecoder;
import org.callrec.capture.mirror.internal.packet.LinkType;
import org.callrec.capture.mirror.internal.packet.TestFrames;
import org.junit.jupiter.api.Test;

/**
 * The capture behind the AudioCapture contract: a connected call of a recorded user gets the RTP
 * of the user's phone into one play-out per direction (user left, other party right), including
 * the stream that began before the connected event; stop closes both play-outs on the capture
 * thread. Play-out and recording are stand-ins here: their bundles are built elsewhere.
 */
class MirrorCaptureTest {

    private static final long MS = 1_000_000L;
    private static final Instant CONNECTED = Instant.parse("2026-11-26T10:00:00Z");
    private static final long T0 = CONNECTED.getEpochSecond() * 1000 * MS;
    private static final User USER = new User("u1", "Ann", "ann", true, "rec-a", "2001", List.of(), "10.0.0.51");

    /** A play-out stand-in recording what it was offered and where it writes. */
    private static final class FakePlayout implements Playout {
        final PcmSink sink;
        final long startSample;
        final List<Integer> seqs = new ArrayList<>();
        boolean closed;
        int advances;

        FakePlayout(PcmSink sink, long startSample) {
            this.sink = sink;
            this.startSample = startSample;
        }

        @Override
        public void offer(byte[] packet, int offset, int length, long arrivalNanos) {
            seqs.add((packet[offset + 2] & 0xFF) << 8 | (packet[offset + 3] & 0xFF));
        }

        @Override
        public void advance(long nowNanos) {
            advances++;
        }

        @Override
        public StreamStats stats() {
            return new StreamStats(seqs.size(), 0, 0, 0, 0, 0, 0, 0);
        }

        @Override
        public org.callrec.api.rtp.RtcpStats rtcp() {
            return null;
        }

        @Override
        public boolean decodePending() {
            return false;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static final class NamedSink implements PcmSink {
        final int channel;

        NamedSink(int channel) {
            this.channel = channel;
        }

        @Override
        public void pcm(long samplePosition, short[] samples, int offset, int length) {
        }

        @Override
        public void gap(GapMarker gap) {
        }

        @Override
        public void dtmf(DtmfEvent event) {
        }
    }

    private static final class FakeRecording implements Recording {
        final NamedSink[] sinks = {new NamedSink(0), new NamedSink(1)};
        final Map<String, String> notes = new HashMap<>();

        @Override
        public String id() {
            return "r1";
        }

        @Override
        public RecordingMetadata metadata() {
            return null;
        }

        @Override
        public PcmSink channel(int channel) {
            return sinks[channel];
        }

        @Override
        public RawPayloadSink raw(int channel, PayloadFormat format) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void annotate(String key, String value) {
            notes.put(key, value);
        }

        @Override
        public void close(RecordingStatus status, String reason) {
        }
    }

    private final List<FakePlayout> opened = new ArrayList<>();
    private final PlayoutFactory factory = new PlayoutFactory() {
        @Override
        public Playout open(List<PayloadFormat> formats, long startSample, int channel, PcmSink sink,
                org.callrec.api.storage.RawPayloadSink raw) {
            FakePlayout p = new FakePlayout(sink, startSample);
            opened.add(p);
            return p;
        }

        @Override
        public void decodeRaw(String encoding, int channel, Iterable<org.callrec.api.rtp.RawPayload> payloads, PcmSink sink) {
            throw new UnsupportedOperationException();
        }
    };
    private final UserDirectory directory = new UserDirectory() {
        @Override
        public List<User> users() {
            return List.of(USER);
        }

        @Override
        public Optional<User> byExtension(String extension) {
            return USER.owns(extension) ? Optional.of(USER) : Optional.empty();
        }

        @Override
        public Optional<User> byEndpointIp(String ip) {
            return Optional.empty();
        }
    };

    private static CallEvent connected() {
        return new CallEvent("tapi", "call-1", CallEventType.CONNECTED, CONNECTED, "2001", null, null, null, null,
                null, null);
    }

    private static void send(FrameDecoder decoder, String from, String to, int seq, long ts) {
        byte[] s = TestFrames.ip(from);
        byte[] d = TestFrames.ip(to);
        byte[] rtp = ByteBuffer.allocate(172).put((byte) 0x80).put((byte) 0).putShort((short) seq).array();
        byte[] f = TestFrames.ethernet(TestFrames.ipv4(s, d, 17, seq, 0, false, TestFrames.udp(s, d, 20000, 30000, rtp)));
        decoder.frame(LinkType.ETHERNET, f, 0, f.length, f.length, ts);
    }

    @Test
    void aConnectedCallGetsBothDirectionsFromJustBeforeConnectedInTheirChannels() throws Exception {
        MirrorCapture capture = new MirrorCapture(factory, directory, 2000, 10_000, "eth1");
        FrameDecoder decoder = new FrameDecoder(capture, 5000 * MS, 64);
        send(decoder, "10.0.0.51", "10.0.0.1", 1, T0 - 3000 * MS); // before the look-back window
        send(decoder, "10.0.0.51", "10.0.0.1", 2, T0 - 1500 * MS); // early media: kept
        send(decoder, "10.0.0.1", "10.0.0.51", 100, T0 - 1400 * MS);
        FakeRecording recording = new FakeRecording();
        CaptureSession session = capture.start(new CaptureRequest(connected(), USER, recording));
        send(decoder, "10.0.0.51", "10.0.0.1", 3, T0 + 20 * MS);
        send(decoder, "10.0.0.1", "10.0.0.51", 101, T0 + 21 * MS);
        send(decoder, "10.0.0.99", "10.0.0.1", 7, T0 + 22 * MS); // another phone
        capture.tick(T0 + 100 * MS);

        assertEquals(2, opened.size());
        FakePlayout user = opened.stream().filter(p -> ((NamedSink) p.sink).channel == 0).findFirst().orElseThrow();
        FakePlayout other = opened.stream().filter(p -> ((NamedSink) p.sink).channel == 1).findFirst().orElseThrow();
        assertEquals(List.of(2, 3), user.seqs);
        assertEquals(List.of(100, 101), other.seqs);
        assertEquals(0, user.startSample);
        assertEquals(100 * 8, other.startSample); // 100 ms after the user's first packet
        assertTrue(user.advances > 0);

        // stop from the recorder's thread while the capture thread keeps ticking
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(session::stop);
        while (!stopped.isDone()) {
            capture.tick(T0 + 200 * MS);
            Thread.sleep(1);
        }
        stopped.get();
        assertTrue(user.closed && other.closed);
        assertEquals("4", recording.notes.get("packets.received"));
        send(decoder, "10.0.0.51", "10.0.0.1", 4, T0 + 300 * MS);
        assertEquals(List.of(2, 3), user.seqs); // nothing after stop
    }

    @Test
    void aConnectedCallWithoutRtpIsDiagnosedNamingExtensionPhoneNicAndTime() throws Exception {
        MirrorCapture capture = new MirrorCapture(factory, directory, 2000, 10_000, "eth1");
        // connected 10 s ago, and the phone has sent nothing
        CallEvent old = new CallEvent("tapi", "call-9", CallEventType.CONNECTED, Instant.now().minusSeconds(10), "2001",
                null, null, null, null, null, null);
        CaptureSession session = capture.start(new CaptureRequest(old, USER, new FakeRecording()));
        CallEvent fresh = new CallEvent("tapi", "call-10", CallEventType.CONNECTED, Instant.now(), "2001",
                null, null, null, null, null, null);
        capture.start(new CaptureRequest(fresh, USER, new FakeRecording())); // within the grace time
        var diagnoses = capture.current();
        assertEquals(1, diagnoses.size());
        String m = diagnoses.get(0).message();
        assertTrue(m.contains("ext 2001") && m.contains("10.0.0.51") && m.contains("eth1") && m.contains("10 s ago"), m);
        assertEquals(3, diagnoses.get(0).likelyCauses().size());
        assertEquals(org.callrec.api.health.HealthStatus.WARNING, capture.check().status());
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(session::stop);
        while (!stopped.isDone()) {
            capture.tick(System.currentTimeMillis() * MS);
            Thread.sleep(1);
        }
        assertTrue(capture.current().isEmpty());
        assertEquals(org.callrec.api.health.HealthStatus.OK, capture.check().status());
    }

    @Test
    void aCallWithRtpIsNotDiagnosed() throws Exception {
        MirrorCapture capture = new MirrorCapture(factory, directory, 2000, 10_000, "eth1");
        FrameDecoder decoder = new FrameDecoder(capture, 5000 * MS, 64);
        Instant connected = Instant.now().minusSeconds(10);
        long t = connected.getEpochSecond() * 1000 * MS;
        capture.start(new CaptureRequest(new CallEvent("tapi", "call-11", CallEventType.CONNECTED, connected, "2001",
                null, null, null, null, null, null), USER, new FakeRecording()));
        send(decoder, "10.0.0.51", "10.0.0.1", 1, t + 20 * MS);
        assertTrue(capture.current().isEmpty());
    }

    @Test
    void aUserWithoutEndpointIpIsRefusedWithTheReason() {
        MirrorCapture capture = new MirrorCapture(factory, directory, 2000, 10_000, "eth1");
        User noIp = new User("u2", "Bob", "bob", true, "rec-a", "2002", List.of(), null);
        CaptureException e = assertThrows(CaptureException.class,
                () -> capture.start(new CaptureRequest(connected(), noIp, new FakeRecording())));
        assertTrue(e.getMessage().contains("2002") && e.getMessage().contains("endpoint IP"), e.getMessage());
    }

    @Test
    void withoutRtpPlayoutTheCallIsRefusedWithTheReason() {
        MirrorCapture capture = new MirrorCapture(null, directory, 2000, 10_000, "eth1");
        CaptureException e = assertThrows(CaptureException.class,
                () -> capture.start(new CaptureRequest(connected(), USER, new FakeRecording())));
        assertTrue(e.getMessage().contains("play-out"), e.getMessage());
        assertFalse(opened.size() > 0);
    }
}
