package org.callrec.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import javax.inject.Inject;

import org.callrec.api.storage.RecordingCatalog;
import org.callrec.api.storage.RecordingEntry;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A G.729 call with Annex B silence suppression, recorded live off the mirrored veth and again by
 * the offline import of tshark's capture of it. Both sides speak with pauses: espeak-ng speech
 * encoded here by Debian's bcg729 with VAD on, so the encoder sends speech frames, SID frames
 * (2 bytes) and nothing at all (DTX) while it is quiet. sipp's rtp_stream can only send fixed 20-byte
 * payloads, so each side plays its RTP from a pcap file built here with play_pcap_audio, which sends
 * every payload as it is, at the capture's pace. The judge is bcg729 itself: each channel of the
 * recording must be, sample for sample, what bcg729 decodes from the payloads tshark reads off the
 * wire, with every 10 ms that was not sent decoded as a missing frame (bcg729 then continues the
 * comfort noise of the last SID, as G.729 Annex B's decoder does for untransmitted frames).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MirrorG729CallIT {

    private static final int PT_G729 = 18;
    private static final int FRAME_BYTES = 10;
    private static final int SID_BYTES = 2;
    private static final int FRAME_SAMPLES = 80;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return ShippedRuntime.options("mirror-g729-call");
    }

    @Test
    public void g729CallWithSilenceSuppressionIsRecordedAsBcg729DecodesWhatWasOnTheWire() throws Exception {
        try (MirrorLab lab = MirrorLab.open(context, configAdmin, "crg", "sipp", "espeak-ng", "sox", "tshark", "gcc")) {
            Path g729ref = compileReference(lab.dir);
            Path alicePcap = speakG729(lab, g729ref, "alice", "Hello, this is Alice at extension one thousand and"
                    + " one. <break time=\"1500ms\"/> The quick brown fox jumps over the lazy dog."
                    + " <break time=\"2s\"/> Seven, eight, nine.", "en");
            Path bobPcap = speakG729(lab, g729ref, "bob", "Good morning, you have reached Bob. <break time=\"2s\"/>"
                    + " The weather is fine today. <break time=\"1200ms\"/> Goodbye.", "en+m3");
            RecordingCatalog catalog = RuntimeServices.await(context, RecordingCatalog.class);

            Path capturedCall = lab.dir.resolve("g729-call.pcapng");
            Process tshark = lab.startTshark(capturedCall);
            Set<String> before = MirrorLab.recordingIds(catalog);
            int hold = (int) Math.max(durationMillis(alicePcap), durationMillis(bobPcap)) + 1500;
            lab.finish(lab.startCall("G729", PT_G729, "G729", SippScenarios.pcapAudio(alicePcap),
                    SippScenarios.pcapAudio(bobPcap), hold));
            RecordingEntry e = MirrorLab.awaitNewComplete(catalog, before);
            MirrorLab.stop(tshark);

            // the judge: what was on the wire, as tshark reads it, decoded by bcg729
            short[] alice = bcg729Decode(g729ref, lab.dir, "alice-wire", wire(capturedCall, lab.phone));
            short[] bob = bcg729Decode(g729ref, lab.dir, "bob-wire", wire(capturedCall, lab.other));

            AudioMatch.Wav live;
            try (InputStream in = catalog.audio(e.id()).orElseThrow()) {
                live = AudioMatch.readWav(in);
            }
            String counters = "live, counters " + e.counters();
            assertEquals(counters, 2, live.channels());
            assertEquals(counters, 8000, live.sampleRate());
            assertEquals(counters, List.of("G729"), e.codecs());
            assertEquals(counters, Long.valueOf(0), e.counters().get("packets.lost"));
            assertEquals(counters, Long.valueOf(2), e.counters().get("rtp.directions"));
            assertIsExactly("live", live.samples(), alice, bob);

            List<?> index = lab.importCapture(capturedCall, lab.dir.resolve("imported"));
            assertEquals(String.valueOf(index), 1, index.size());
            Object r = index.get(0);
            assertEquals(String.valueOf(r), List.of("G729"), MiniJson.at(r, "codecs"));
            assertEquals(String.valueOf(r), "complete", MiniJson.at(r, "status"));
            assertEquals(String.valueOf(r), MirrorLab.EXTENSION, MiniJson.at(r, "extension"));
            assertEquals(String.valueOf(r), 2, ((Number) MiniJson.at(r, "channels")).intValue());
            assertEquals(String.valueOf(r), 0, ((Number) MiniJson.at(r, "packetsLost")).intValue());
            AudioMatch.Wav imported = AudioMatch.readWav(lab.dir.resolve("imported").resolve((String) MiniJson.at(r,
                    "file")));
            assertEquals(2, imported.channels());
            assertIsExactly("import", imported.samples(), alice, bob);
            for (int c = 0; c < 2; c++) {
                AudioMatch.Result same = AudioMatch.compare(imported.samples()[c], live.samples()[c]);
                assertTrue("import against live, channel " + c + ": " + same, same.snrDb() == Double.POSITIVE_INFINITY);
            }
        }
    }

    /**
     * Each channel holds its side's reference, sample for sample, and nothing else: silence before
     * the side's first packet and after its last. The other side's reference must not match the
     * left channel (so swapped channels fail).
     */
    private static void assertIsExactly(String what, short[][] channels, short[] alice, short[] bob) {
        short[][] expected = {alice, bob};
        String[] who = {"left (Alice, the user)", "right (Bob)"};
        for (int c = 0; c < 2; c++) {
            AudioMatch.Result m = AudioMatch.compare(channels[c], expected[c]);
            int differ = 0;
            int outside = 0;
            for (int t = 0; t < channels[c].length; t++) {
                int s = t - m.offset();
                if (s >= 0 && s < expected[c].length) {
                    differ += channels[c][t] != expected[c][s] ? 1 : 0;
                } else {
                    outside += channels[c][t] != 0 ? 1 : 0;
                }
            }
            String figure = what + " " + who[c] + " against bcg729's decode of the wire: " + m + ", " + differ
                    + " samples differ, " + outside + " non-zero samples outside it";
            System.out.println("MirrorG729CallIT " + figure);
            assertEquals(figure, expected[c].length, m.overlap());
            assertEquals(figure, 0, differ);
            assertEquals(figure, 0, outside);
        }
        AudioMatch.Result swapped = AudioMatch.compare(channels[0], bob);
        assertTrue(what + ": Bob against the left channel " + swapped, swapped.snrDb() < 3);
    }

    /** bcg729's reference program (callrec.rtp's test oracle, src/test/c/g729ref.c), compiled here. */
    private static Path compileReference(Path dir) throws Exception {
        if (!Files.exists(Path.of("/usr/include/bcg729/encoder.h"))) {
            throw new AssertionError("bcg729 headers missing: install libbcg729-dev (integration-tests/run-tests does)");
        }
        Path source = Path.of("../bundles/callrec.rtp/src/test/c/g729ref.c").toAbsolutePath();
        Path exe = dir.resolve("g729ref");
        MirrorLab.run("gcc", "-O2", "-o", exe.toString(), source.toString(), "-lbcg729");
        return exe;
    }

    /**
     * Speech with pauses, encoded by bcg729 with VAD on, as the RTP of a phone in a pcap file for
     * sipp: 20 ms per packet, a SID frame ends its packet (RFC 3551 section 4.5.6), frames the
     * encoder did not send are not sent, and the marker starts each talkspurt.
     */
    private static Path speakG729(MirrorLab lab, Path g729ref, String name, String ssml, String voice)
            throws Exception {
        Path wav = lab.speech(name, ssml, voice);
        Path s16 = lab.dir.resolve(name + ".s16");
        Path frames = lab.dir.resolve(name + ".frames");
        // a quiet room behind the voice (pink noise at -40 dBFS): the pauses then carry comfort noise with
        // real energy, so a recorder that wrote silence or concealment there would not pass
        Path room = lab.dir.resolve(name + "-room.wav");
        String seconds = MirrorLab.run("soxi", "-D", wav.toString()).strip();
        MirrorLab.run("sox", "-R", "-n", "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", room.toString(),
                "synth", seconds, "pinknoise", "vol", "0.01");
        MirrorLab.run("sox", "-R", "-m", "-v", "1", wav.toString(), "-v", "1", room.toString(), "-t", "raw", "-e",
                "signed-integer", "-b", "16", "-L", s16.toString());
        MirrorLab.run(g729ref.toString(), "encode", "1", s16.toString(), frames.toString());
        byte[] f = Files.readAllBytes(frames);
        int sid = 0;
        int dtx = 0;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        long ssrc = rnd.nextLong(1L << 32);
        int seq = rnd.nextInt(1 << 16);
        long ts0 = rnd.nextLong(1L << 32);
        List<byte[]> packets = new ArrayList<>();
        List<Long> sendMicros = new ArrayList<>();
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        int first = -1;
        int inPacket = 0;
        boolean talkspurt = true;
        boolean marker = false;
        int frame = 0;
        for (int i = 0; i <= f.length; frame++) {
            int len = i < f.length ? f[i] & 0xFF : 0;
            if (i < f.length && len != 0) {
                if (first < 0) {
                    first = frame;
                    marker = talkspurt && len == FRAME_BYTES;
                }
                payload.write(f, i + 1, len);
                inPacket++;
                sid += len == SID_BYTES ? 1 : 0;
                talkspurt = len == SID_BYTES;
            } else if (i < f.length) {
                dtx++;
                talkspurt = true;
            }
            boolean flush = i >= f.length || len == 0 || len == SID_BYTES || inPacket == 2;
            if (flush && inPacket > 0) {
                packets.add(rtp(marker, seq++, ts0 + (long) first * FRAME_SAMPLES, ssrc, payload.toByteArray()));
                sendMicros.add(first * 10_000L);
                payload.reset();
                first = -1;
                inPacket = 0;
            }
            i += i < f.length ? 1 + len : 1;
        }
        assertTrue(name + ": VAD made no SID frame", sid >= 2);
        assertTrue(name + ": VAD left no frame unsent", dtx >= 50);
        Path pcap = lab.dir.resolve(name + "-g729.pcap");
        writePcap(pcap, packets, sendMicros);
        return pcap;
    }

    private static byte[] rtp(boolean marker, int seq, long ts, long ssrc, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(12 + payload.length);
        b.put((byte) 0x80).put((byte) ((marker ? 0x80 : 0) | PT_G729)).putShort((short) seq).putInt((int) ts)
                .putInt((int) ssrc).put(payload);
        return b.array();
    }

    /**
     * A classic pcap (Ethernet, IPv4, UDP) of the packets at their send times. sipp takes the UDP
     * payload and the timing from it; its own addresses and ports replace these.
     */
    private static void writePcap(Path file, List<byte[]> packets, List<Long> sendMicros) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.write(h.array());
        for (int i = 0; i < packets.size(); i++) {
            byte[] rtp = packets.get(i);
            int frameLength = 14 + 20 + 8 + rtp.length;
            long t = 1_700_000_000_000_000L + sendMicros.get(i);
            ByteBuffer r = ByteBuffer.allocate(16 + frameLength).order(ByteOrder.LITTLE_ENDIAN);
            r.putInt((int) (t / 1_000_000)).putInt((int) (t % 1_000_000)).putInt(frameLength).putInt(frameLength);
            r.order(ByteOrder.BIG_ENDIAN);
            r.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
            r.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + rtp.length)).putShort((short) i)
                    .putShort((short) 0).put((byte) 64).put((byte) 17).putShort((short) 0)
                    .put(new byte[] {10, 0, 0, 1}).put(new byte[] {10, 0, 0, 2});
            r.putShort((short) 40000).putShort((short) 40000).putShort((short) (8 + rtp.length)).putShort((short) 0);
            r.put(rtp);
            out.write(r.array());
        }
        Files.write(file, out.toByteArray());
    }

    /** How long the pcap's packets take to send (its last timestamp), in ms. */
    private static long durationMillis(Path pcap) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap)).order(ByteOrder.LITTLE_ENDIAN);
        long first = -1;
        long last = 0;
        for (int p = 24; p + 16 <= b.limit(); p += 16 + b.getInt(p + 8)) {
            last = (b.getInt(p) & 0xFFFFFFFFL) * 1_000_000 + b.getInt(p + 4);
            first = first < 0 ? last : first;
        }
        return (last - first) / 1000;
    }

    /** One RTP packet as tshark read it off the wire. */
    private record WirePacket(int seq, long timestamp, int payloadType, byte[] payload) {
    }

    /**
     * The RTP that {@code source} sent in the capture, as tshark dissects it, checked to be one G.729
     * stream with no packet missing that really uses Annex B: SID frames and unsent frames.
     */
    private static List<WirePacket> wire(Path capture, String source) throws Exception {
        String out = MirrorLab.stdout("tshark", "-r", capture.toString(), "-d", "udp.port==16000,rtp", "-d",
                "udp.port==18000,rtp", "-Y", "rtp && ip.src==" + source, "-T", "fields", "-E", "separator=,", "-e",
                "rtp.ssrc", "-e", "rtp.seq", "-e", "rtp.timestamp", "-e", "rtp.p_type", "-e", "rtp.payload");
        List<WirePacket> packets = new ArrayList<>();
        Set<String> ssrcs = new java.util.HashSet<>();
        for (String line : out.strip().split("\n")) {
            String[] f = line.split(",", -1);
            if (f.length != 5) {
                throw new AssertionError("unexpected tshark line from " + source + ": " + line);
            }
            ssrcs.add(f[0]);
            packets.add(new WirePacket(Integer.parseInt(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3]),
                    HexFormat.of().parseHex(f[4].replace(":", ""))));
        }
        String what = source + " sent " + packets.size() + " RTP packets";
        assertTrue(what, packets.size() > 100);
        assertEquals(what + " with SSRCs " + ssrcs, 1, ssrcs.size());
        int sid = 0;
        int gaps = 0;
        for (int i = 0; i < packets.size(); i++) {
            WirePacket p = packets.get(i);
            assertEquals(what + ": payload type", PT_G729, p.payloadType());
            assertTrue(what + ": payload of " + p.payload().length + " bytes", p.payload().length % FRAME_BYTES == 0
                    || p.payload().length % FRAME_BYTES == SID_BYTES);
            sid += p.payload().length % FRAME_BYTES == SID_BYTES ? 1 : 0;
            if (i > 0) {
                WirePacket q = packets.get(i - 1);
                assertEquals(what + ": sequence after " + q.seq(), (q.seq() + 1) & 0xFFFF, p.seq());
                gaps += (p.timestamp() - q.timestamp() & 0xFFFFFFFFL) > (long) frames(q) * FRAME_SAMPLES ? 1 : 0;
            }
        }
        System.out.println("MirrorG729CallIT " + what + ": " + sid + " with a SID frame, " + gaps
                + " followed by unsent frames (DTX)");
        assertTrue(what + ": no SID frame on the wire", sid >= 2);
        assertTrue(what + ": no DTX gap on the wire", gaps >= 2);
        return packets;
    }

    private static int frames(WirePacket p) {
        return p.payload().length / FRAME_BYTES + (p.payload().length % FRAME_BYTES == SID_BYTES ? 1 : 0);
    }

    /**
     * bcg729's decode of the packets: their frames in order, and between packets one "no frame" per
     * 10 ms the timestamps say was not sent.
     */
    private static short[] bcg729Decode(Path g729ref, Path dir, String name, List<WirePacket> packets)
            throws Exception {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        List<Integer> unsentFrames = new ArrayList<>();
        int frame = 0;
        long next = packets.get(0).timestamp();
        for (WirePacket p : packets) {
            long unsent = p.timestamp() - next & 0xFFFFFFFFL;
            assertEquals(name + ": timestamp " + p.timestamp() + " is not on a frame boundary", 0,
                    unsent % FRAME_SAMPLES);
            for (long u = 0; u < unsent / FRAME_SAMPLES; u++) {
                frames.write(0);
                unsentFrames.add(frame++);
            }
            frame += frames(p);
            byte[] b = p.payload();
            for (int o = 0; o < b.length; o += FRAME_BYTES) {
                int len = Math.min(FRAME_BYTES, b.length - o);
                frames.write(len);
                frames.write(b, o, len);
            }
            next = p.timestamp() + (long) frames(p) * FRAME_SAMPLES & 0xFFFFFFFFL;
        }
        Path in = dir.resolve(name + ".frames");
        Path pcm = dir.resolve(name + ".s16");
        Files.write(in, frames.toByteArray());
        MirrorLab.run(g729ref.toString(), "decode", in.toString(), pcm.toString());
        byte[] raw = Files.readAllBytes(pcm);
        short[] s = new short[raw.length / 2];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        assertEquals(name, (long) frame * FRAME_SAMPLES, s.length);
        double energy = 0;
        for (int f : unsentFrames) {
            for (int i = f * FRAME_SAMPLES; i < (f + 1) * FRAME_SAMPLES; i++) {
                energy += (double) s[i] * s[i];
            }
        }
        double rms = Math.sqrt(energy / (unsentFrames.size() * FRAME_SAMPLES));
        System.out.printf("MirrorG729CallIT %s: %d frames, %d not sent, decoded there as comfort noise of RMS %.1f%n",
                name, frame, unsentFrames.size(), rms);
        assertTrue(name + ": the comfort noise in the pauses is too quiet to judge (RMS " + rms + ")", rms >= 5);
        return s;
    }
}
