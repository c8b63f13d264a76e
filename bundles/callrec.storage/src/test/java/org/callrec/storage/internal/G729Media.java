package org.callrec.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * G.729 test data made at test time by the real tools: espeak-ng speaks, sox resamples to 8 kHz,
 * bcg729's own encoder (with VAD, so SID and DTX occur) and decoder run in the RTP bundle's C
 * reference harness (callrec.rtp/src/test/c/g729ref.c), compiled here against Debian's libbcg729.
 */
final class G729Media {

    private G729Media() {
    }

    static Path work() throws IOException {
        Path dir = Paths.get("target", "g729-media");
        Files.createDirectories(dir);
        return dir;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Sox.Result r;
        try {
            r = Sox.run(command);
        } catch (IOException e) {
            throw new IOException(command[0] + " is missing (integration-tests/run-tests installs espeak-ng, sox, gcc,"
                    + " libbcg729-dev)", e);
        }
        assertEquals(0, r.exit(), () -> String.join(" ", command) + " failed: " + r.err());
        return r.out();
    }

    /** bcg729's encoder and decoder as a small C program. */
    static synchronized Path g729ref() throws IOException, InterruptedException {
        Path exe = work().resolve("g729ref");
        if (!Files.exists(exe)) {
            Path source = Paths.get("..", "callrec.rtp", "src", "test", "c", "g729ref.c");
            if (!Files.exists(Paths.get("/usr/include/bcg729/decoder.h"))) {
                fail("bcg729 headers missing: install the Debian package libbcg729-dev (integration-tests/run-tests does)");
            }
            run("gcc", "-O2", "-o", exe.toString(), source.toString(), "-lbcg729");
        }
        return exe;
    }

    /** About 9 s of spoken English, 8 kHz 16-bit little-endian. */
    static synchronized Path speech() throws IOException, InterruptedException {
        Path s16 = work().resolve("speech.s16");
        if (!Files.exists(s16)) {
            Path wav = work().resolve("speech.wav");
            run("espeak-ng", "-v", "en", "-s", "150", "-w", wav.toString(),
                    "Your call may be recorded. Please hold while we connect you. Seven, three, nine, two.");
            run("sox", wav.toString(), "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", "-L", "-t", "raw",
                    s16.toString());
        }
        return s16;
    }

    /** bcg729's encoder with VAD: per 10 ms frame 10 bytes (speech), 2 (SID) or none (DTX, not sent). */
    static List<byte[]> encode(Path s16) throws IOException, InterruptedException {
        Path frames = work().resolve("speech.g729");
        run(g729ref().toString(), "encode", "1", s16.toString(), frames.toString());
        byte[] b = Files.readAllBytes(frames);
        List<byte[]> list = new ArrayList<>();
        for (int i = 0; i < b.length;) {
            int len = b[i++] & 0xFF;
            byte[] bits = new byte[len];
            System.arraycopy(b, i, bits, 0, len);
            i += len;
            list.add(bits);
        }
        return list;
    }

    /** bcg729's decoder on the frames; an erased frame (lost in transit) is decoded as erased. */
    static short[] decode(List<byte[]> frames, boolean[] erased) throws IOException, InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < frames.size(); i++) {
            if (erased[i]) {
                out.write(255);
            } else {
                out.write(frames.get(i).length);
                out.writeBytes(frames.get(i));
            }
        }
        Path in = work().resolve("sent.g729");
        Path pcm = work().resolve("reference.s16");
        Files.write(in, out.toByteArray());
        run(g729ref().toString(), "decode", in.toString(), pcm.toString());
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcm)).order(ByteOrder.LITTLE_ENDIAN);
        short[] s = new short[b.remaining() / 2];
        b.asShortBuffer().get(s);
        return s;
    }

    /** An RTP packet (RFC 3550 fixed header, no CSRC) around a payload. */
    static byte[] rtp(int payloadType, boolean marker, int seq, long ts, long ssrc, byte[] payload) {
        byte[] p = new byte[12 + payload.length];
        p[0] = (byte) 0x80;
        p[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        for (int i = 0; i < 4; i++) {
            p[4 + i] = (byte) (ts >>> (24 - 8 * i));
            p[8 + i] = (byte) (ssrc >>> (24 - 8 * i));
        }
        System.arraycopy(payload, 0, p, 12, payload.length);
        return p;
    }
}
