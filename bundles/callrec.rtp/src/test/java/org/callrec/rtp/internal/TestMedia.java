package org.callrec.rtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real test data, made at test time by the real tools (espeak-ng, sox, bcg729 through a small C
 * program). A missing tool fails the test with the package to install; nothing is skipped.
 */
final class TestMedia {

    static final String SENTENCE = "Thank you for calling. Your call may be recorded for quality purposes. "
            + "Please say or enter your account number, followed by the hash key. Seven, three, nine, two.";

    private TestMedia() {
    }

    static Path work() throws IOException {
        Path dir = Paths.get("target", "test-media");
        Files.createDirectories(dir);
        return dir;
    }

    static void requireTool(String tool, String debianPackage) {
        for (String d : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Paths.get(d, tool))) {
                return;
            }
        }
        fail(tool + " is not installed: install the Debian package " + debianPackage
                + " (integration-tests/run-tests does)");
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + String.join(" ", command));
        }
        String text = new String(out);
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + " failed:\n" + text);
        return text;
    }

    /** Spoken English at 8 kHz, 16-bit: espeak-ng speaks, sox resamples. */
    static synchronized Path speech() throws IOException, InterruptedException {
        Path s16 = work().resolve("speech.s16");
        if (!Files.exists(s16)) {
            requireTool("espeak-ng", "espeak-ng");
            requireTool("sox", "sox");
            Path wav = work().resolve("speech.wav");
            run("espeak-ng", "-v", "en", "-s", "150", "-w", wav.toString(), SENTENCE);
            run("sox", wav.toString(), "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", "-L", "-t", "raw",
                    s16.toString());
        }
        return s16;
    }

    static short[] readS16(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        short[] s = new short[b.length / 2];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }

    /** sox's own G.711 encoder and decoder: {@code type} is "ul" or "al". */
    static byte[] soxEncode(Path s16, String type) throws IOException, InterruptedException {
        Path out = work().resolve("speech." + type);
        run("sox", "-t", "raw", "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", "-L", s16.toString(),
                "-t", type, out.toString());
        return Files.readAllBytes(out);
    }

    static short[] soxDecode(byte[] codes, String type) throws IOException, InterruptedException {
        Path in = Files.createTempFile(work(), "codes", "." + type);
        Path out = Files.createTempFile(work(), "decoded", ".s16");
        Files.write(in, codes);
        run("sox", "-t", type, "-r", "8000", "-c", "1", in.toString(), "-t", "raw", "-b", "16", "-e", "signed-integer",
                "-L", out.toString());
        return readS16(out);
    }

    /** The bcg729 reference program (src/test/c/g729ref.c), compiled against Debian's libbcg729. */
    static synchronized Path g729ref() throws IOException, InterruptedException {
        Path exe = Paths.get("target", "g729ref");
        if (!Files.exists(exe)) {
            requireTool("gcc", "gcc");
            if (!Files.exists(Paths.get("/usr/include/bcg729/decoder.h"))) {
                fail("bcg729 headers missing: install the Debian package libbcg729-dev (integration-tests/run-tests does)");
            }
            run("gcc", "-O2", "-o", exe.toString(), "src/test/c/g729ref.c", "-lbcg729");
        }
        return exe;
    }

    /** One 10 ms G.729 frame as bcg729's encoder produced it: 10 bytes speech, 2 SID, 0 not sent. */
    record Frame(byte[] bits) {
        boolean speech() {
            return bits.length == 10;
        }

        boolean sid() {
            return bits.length == 2;
        }
    }

    static List<Frame> g729Encode(Path s16, boolean vad) throws IOException, InterruptedException {
        Path frames = work().resolve("speech-vad" + (vad ? 1 : 0) + ".g729");
        run(g729ref().toString(), "encode", vad ? "1" : "0", s16.toString(), frames.toString());
        byte[] b = Files.readAllBytes(frames);
        List<Frame> list = new ArrayList<>();
        for (int i = 0; i < b.length;) {
            int len = b[i++] & 0xFF;
            byte[] bits = new byte[len];
            System.arraycopy(b, i, bits, 0, len);
            i += len;
            list.add(new Frame(bits));
        }
        return list;
    }

    /** bcg729's own decoder on the frames; frames whose index is in {@code erased} are decoded as erased. */
    static short[] g729Decode(List<Frame> frames, boolean[] erased) throws IOException, InterruptedException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < frames.size(); i++) {
            if (erased != null && erased[i]) {
                out.write(255);
            } else {
                out.write(frames.get(i).bits.length);
                out.writeBytes(frames.get(i).bits);
            }
        }
        Path in = Files.createTempFile(work(), "frames", ".g729");
        Path pcm = Files.createTempFile(work(), "ref", ".s16");
        Files.write(in, out.toByteArray());
        run(g729ref().toString(), "decode", in.toString(), pcm.toString());
        return readS16(pcm);
    }

    /** Speech repeated to the given length (a long call from a short sentence). */
    static short[] loop(short[] speech, int samples) {
        short[] out = new short[samples];
        for (int i = 0; i < samples; i += speech.length) {
            System.arraycopy(speech, 0, out, i, Math.min(speech.length, samples - i));
        }
        return out;
    }

    /** An RTP packet (RFC 3550 fixed header, no CSRC) around a payload. */
    static byte[] rtp(int payloadType, boolean marker, int seq, long ts, long ssrc, byte[] payload, int off, int len) {
        byte[] p = new byte[12 + len];
        p[0] = (byte) 0x80;
        p[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        for (int i = 0; i < 4; i++) {
            p[4 + i] = (byte) (ts >>> (24 - 8 * i));
            p[8 + i] = (byte) (ssrc >>> (24 - 8 * i));
        }
        System.arraycopy(payload, off, p, 12, len);
        return p;
    }
}
