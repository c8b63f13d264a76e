package org.callrec.storage.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.rtp.Playout;
import org.callrec.api.rtp.PlayoutFactory;
import org.callrec.api.storage.RawPayloadSink;
import org.callrec.api.storage.Recording;
import org.callrec.api.storage.RecordingEntry;
import org.callrec.api.storage.RecordingStatus;
import org.callrec.rtp.internal.RtpBundleForTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A G.729 call recorded while bcg729 cannot be loaded ends decode-pending with its payload kept
 * raw; once the library is there the decode-pending recordings are decoded into their WAV,
 * bit-exactly as bcg729 decodes the same frames, and the catalog says complete. Recording and
 * decoding go through the RTP bundle's real play-out and decoder.
 */
class PendingDecodeTest {

    @TempDir
    Path data;

    JdbcCatalog catalog;
    AtomicReference<CatalogStore> available = new AtomicReference<>();
    RecordingStore store;

    @BeforeEach
    void start() throws Exception {
        catalog = RecordingStoreTest.h2(data);
        available.set(catalog);
        store = new RecordingStore(data.resolve("recordings"), new RecordingStore.Settings(50, 200, 0, 100),
                available::get);
        store.start();
    }

    @AfterEach
    void stop() {
        store.close();
        catalog.close();
    }

    void awaitCatalogued() throws InterruptedException {
        for (int i = 0; i < 200 && store.unsyncedCount() > 0; i++) {
            Thread.sleep(50);
        }
        assertEquals(0, store.unsyncedCount(), "entries still waiting for the catalog");
    }

    /** A G.729 packet as a phone sends it: up to two frames, a SID ends it, DTX frames are not sent. */
    record Packet(int index, int firstFrame, byte[] payload, boolean marker) {
    }

    static List<Packet> packetize(List<byte[]> frames) {
        List<Packet> out = new ArrayList<>();
        java.io.ByteArrayOutputStream cur = new java.io.ByteArrayOutputStream();
        int first = -1;
        int count = 0;
        boolean afterSilence = true;
        for (int i = 0; i <= frames.size(); i++) {
            byte[] f = i < frames.size() ? frames.get(i) : null;
            boolean flush = f == null || f.length == 0;
            boolean marker = false;
            if (!flush) {
                if (first < 0) {
                    first = i;
                }
                cur.writeBytes(f);
                count++;
                flush = f.length == 2 || count == 2;
            }
            if (flush && count > 0) {
                out.add(new Packet(out.size(), first, cur.toByteArray(), afterSilence));
                cur.reset();
                first = -1;
                count = 0;
                afterSilence = false;
            }
            if (f != null && f.length == 0) {
                afterSilence = true;
            }
        }
        return out;
    }

    @Test
    void g729KeptRawWhileTheLibraryIsMissingIsDecodedBitExactlyOnceItIsInstalled() throws Exception {
        List<byte[]> frames = G729Media.encode(G729Media.speech());
        assertTrue(frames.stream().anyMatch(f -> f.length == 2) && frames.stream().anyMatch(f -> f.length == 0),
                "VAD gives SID and DTX frames");
        List<Packet> packets = packetize(frames);
        boolean[] erased = new boolean[frames.size()];
        Random random = new Random(7);
        List<Packet> sent = new ArrayList<>();
        for (Packet p : packets) {
            if (p.index() > 0 && p.index() < packets.size() - 1 && random.nextDouble() < 0.05) {
                int n = p.payload().length / 10 + (p.payload().length % 10 == 2 ? 1 : 0);
                Arrays.fill(erased, p.firstFrame(), p.firstFrame() + n, true);
            } else {
                sent.add(p);
            }
        }
        assertTrue(sent.size() < packets.size(), "some packets lost");
        short[] reference = G729Media.decode(frames, erased);

        // bcg729 is looked for where it is not installed yet
        Path lib = Files.createTempDirectory(data, "lib").resolve("libbcg729.so.0").toAbsolutePath();
        RtpBundleForTests rtp = new RtpBundleForTests(lib.toString());
        assertFalse(rtp.g729().available(), "bcg729 must not be loadable yet");

        Recording r = store.open(RecordingStoreTest.meta("call-g729", 2, "5551234"));
        Playout user = rtp.open(List.of(PayloadFormat.G729), 0, 0, r.channel(0), r.raw(0, PayloadFormat.G729));
        RawPayloadSink noRaw = null;
        Playout other = rtp.open(List.of(PayloadFormat.PCMU), 0, 1, r.channel(1), noRaw);
        Random bytes = new Random(11);
        Packet last = sent.get(sent.size() - 1);
        long end = (long) (last.firstFrame() + last.payload().length / 10 + (last.payload().length % 10 == 2 ? 1 : 0)) * 80;
        for (Packet p : sent) {
            byte[] pkt = G729Media.rtp(18, p.marker(), (65_500 + p.index()) & 0xFFFF, 0xFFFF_F000L + p.firstFrame() * 80L,
                    0xCAFE, p.payload());
            user.offer(pkt, 0, pkt.length, p.firstFrame() * 10_000_000L + 1_000_000L);
            if (p.firstFrame() % 2 == 0) {
                // the other party on PCMU, decoded live: 20 ms of µ-law per packet
                byte[] ulaw = new byte[160];
                bytes.nextBytes(ulaw);
                byte[] pcmu = G729Media.rtp(0, false, p.firstFrame() / 2, p.firstFrame() * 80L, 0xBEEF, ulaw);
                other.offer(pcmu, 0, pcmu.length, p.firstFrame() * 10_000_000L + 1_000_000L);
            }
        }
        user.close();
        other.close();
        assertTrue(user.decodePending(), "the G.729 stream was not kept raw");
        r.close(RecordingStatus.COMPLETE, null);
        awaitCatalogued();

        String id = r.id();
        Path wav = store.paths().wav(id);
        RecordingEntry pending = catalog.find(id).orElseThrow();
        assertEquals(RecordingStatus.DECODE_PENDING, pending.status(), "catalog status after the call");
        assertEquals(List.of(wav.resolveSibling(id + ".ch0.g729.raw")), store.paths().raw(id));
        short[] otherBefore = Sox.channel(wav, 1);
        assertTrue(otherBefore.length > 0, "the PCMU channel was decoded live");
        assertTrue(Arrays.stream(toInts(Sox.channel(wav, 0))).allMatch(s -> s == 0), "no G.729 audio without bcg729");

        PlayoutFactory factory = rtp;
        PendingDecoding decoding = new PendingDecoding(store, () -> factory,
                enc -> rtp.decoder(enc) != null && rtp.decoder(enc).available());
        assertEquals(List.of(id), store.decodePending().stream().map(RecordingEntry::id).toList());
        assertEquals(List.of(), decoding.decodeAll(), "nothing can be decoded without the library");
        IllegalStateException still = assertThrows(IllegalStateException.class, () -> decoding.decode(id));
        assertTrue(still.getMessage().contains("G729"), still.getMessage());
        assertEquals(RecordingStatus.DECODE_PENDING, catalog.find(id).orElseThrow().status());

        // the administrator installs libbcg729-0; the console command looks again
        Path os = Paths.get("/usr/lib/x86_64-linux-gnu/libbcg729.so.0");
        assertTrue(Files.exists(os), "install the Debian package libbcg729-0");
        Files.copy(os, lib);
        assertTrue(rtp.g729().g729().contains("available"), "bcg729 found once installed");

        assertEquals(List.of(id), decoding.decodeAll());
        long frameCount = Sox.assertPlayable(wav, 2);
        short[] user0 = Sox.channel(wav, 0);
        assertEquals(Math.max(end, otherBefore.length), frameCount, "file length");
        assertArrayEquals(Arrays.copyOf(reference, (int) end), Arrays.copyOf(user0, (int) end),
                "decoded G.729 differs from bcg729's decode of the same frames and erasures");
        assertArrayEquals(otherBefore, Arrays.copyOf(Sox.channel(wav, 1), otherBefore.length),
                "the other channel must stay as it was recorded");

        awaitCatalogued();
        RecordingEntry done = catalog.find(id).orElseThrow();
        assertEquals(RecordingStatus.COMPLETE, done.status(), "catalog status after decoding");
        assertEquals(frameCount / 8, done.durationMillis());
        assertEquals(List.of(), store.paths().raw(id), "raw payload removed once the WAV is safely written");
        assertFalse(Files.exists(WavRewrite.temporary(wav)), "temporary file left behind");
        assertEquals(List.of(), store.decodePending());
        assertThrows(IllegalArgumentException.class, () -> decoding.decode(id), "a complete recording is not decoded again");
    }

    @Test
    void aDecodeThatFailsLeavesTheRecordingPendingWithItsFilesUntouched() throws Exception {
        Recording r = store.open(RecordingStoreTest.meta("call-bad", 1, null));
        r.channel(0).pcm(0, new short[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, 8);
        r.raw(0, PayloadFormat.G729).payload(80, new byte[10], 0, 10);
        r.close(RecordingStatus.COMPLETE, null);
        awaitCatalogued();
        Path wav = store.paths().wav(r.id());
        Path raw = store.paths().raw(r.id()).get(0);
        byte[] wavBefore = Files.readAllBytes(wav);
        Files.write(raw, "not a raw file".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        PendingDecoding decoding = new PendingDecoding(store, () -> new RtpBundleForTests("/nonexistent/libbcg729.so.0"),
                enc -> true);
        IOException e = assertThrows(IOException.class, () -> decoding.decode(r.id()));
        assertTrue(e.getMessage().contains("not a callrec raw payload file"), e.getMessage());
        assertEquals(List.of(), decoding.decodeAll());
        assertArrayEquals(wavBefore, Files.readAllBytes(wav), "the WAV must not change when decoding fails");
        assertTrue(Files.exists(raw), "the raw payload must be kept");
        assertFalse(Files.exists(WavRewrite.temporary(wav)));
        assertEquals(RecordingStatus.DECODE_PENDING, catalog.find(r.id()).orElseThrow().status());
    }

    @Test
    void aRawFileCutByACrashYieldsEveryCompletePayload() throws Exception {
        Recording r = store.open(RecordingStoreTest.meta("call-cut", 1, null));
        RawPayloadSink sink = r.raw(0, PayloadFormat.G729);
        for (int i = 0; i < 5; i++) {
            byte[] p = new byte[20];
            Arrays.fill(p, (byte) i);
            sink.payload(160L * i, p, 0, 20);
        }
        r.close(RecordingStatus.COMPLETE, null);
        Path raw = store.paths().raw(r.id()).get(0);
        byte[] all = Files.readAllBytes(raw);
        Files.write(raw, Arrays.copyOf(all, all.length - 7));
        RawPayloadFile f = RawPayloadFile.read(raw);
        assertEquals("G729", f.encoding());
        assertEquals(4, f.payloads().size());
        assertEquals(480, f.payloads().get(3).samplePosition());
        assertArrayEquals(new byte[20], f.payloads().get(0).payload());
        assertEquals(10 + 13, f.truncatedBytes());
    }

    private static int[] toInts(short[] s) {
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i];
        }
        return out;
    }
}
