package org.callrec.capture.wave.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Speech made at test time: espeak-ng speaks, sox resamples to 8 kHz 16-bit mono and encodes G.711. */
final class SpeechAudio {

    private SpeechAudio() {
    }

    static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroy();
            throw new AssertionError(String.join(" ", cmd) + " hangs");
        }
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    }

    /**
     * @param dir where the files go
     * @param text what is said
     * @return the 8 kHz linear source (speech.s16) ; speech.ul and speech.al are its G.711 encodings
     */
    static short[] make(Path dir, String text) throws IOException, InterruptedException {
        Sipp.requireTools("espeak-ng", "sox");
        run(dir, "espeak-ng", "-v", "en", "-s", "160", "-w", "speech.wav", text);
        run(dir, "sox", "speech.wav", "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw",
                "speech.s16", "gain", "-n", "-1");
        for (List<String> enc : List.of(List.of("u-law", "speech.ul"), List.of("a-law", "speech.al"))) {
            run(dir, "sox", "-t", "raw", "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", "speech.s16",
                    "-t", "raw", "-e", enc.get(0), "-b", "8", enc.get(1));
        }
        byte[] b = Files.readAllBytes(dir.resolve("speech.s16"));
        short[] s = new short[b.length / 2];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }

    /**
     * G.729 of the source by Debian's bcg729, through callrec.rtp's reference harness
     * (src/test/c/g729ref.c, compiled here at test time; test oracle only, never shipped).
     *
     * @return bcg729's decode of exactly the frames written to speech.g729 (10 bytes per 10 ms
     *         frame, an even number of frames so every 20 ms packet is whole)
     */
    static short[] g729(Path dir) throws IOException, InterruptedException {
        Sipp.requireTools("gcc");
        if (!Files.exists(Path.of("/usr/include/bcg729/encoder.h"))) {
            throw new AssertionError("bcg729 headers missing: install libbcg729-dev (integration-tests/run-tests does)");
        }
        Path source = Path.of("../callrec.rtp/src/test/c/g729ref.c").toAbsolutePath();
        Path exe = dir.resolve("g729ref");
        run(dir, "gcc", "-O2", "-o", exe.toString(), source.toString(), "-lbcg729");
        run(dir, exe.toString(), "encode", "0", "speech.s16", "speech.frames");
        byte[] framed = Files.readAllBytes(dir.resolve("speech.frames"));
        java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
        int frames = 0;
        for (int i = 0; i + 11 <= framed.length; i += 11) {
            assertEquals(10, framed[i], "without VAD every frame is speech");
            frames++;
        }
        frames &= ~1;
        for (int f = 0; f < frames; f++) {
            payload.write(framed, f * 11 + 1, 10);
            sent.write(framed, f * 11, 11);
        }
        Files.write(dir.resolve("speech.g729"), payload.toByteArray());
        Files.write(dir.resolve("sent.frames"), sent.toByteArray());
        run(dir, exe.toString(), "decode", "sent.frames", "reference.s16");
        byte[] b = Files.readAllBytes(dir.resolve("reference.s16"));
        short[] s = new short[b.length / 2];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }
}
