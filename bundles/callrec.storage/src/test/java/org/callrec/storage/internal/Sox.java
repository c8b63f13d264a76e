package org.callrec.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** sox and soxi (Debian package sox) as the independent judge of the files we write. */
final class Sox {

    record Result(int exit, String out, String err) {
    }

    private Sox() {
    }

    static Result run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new IOException(command[0] + " is missing: install Debian package sox (integration-tests/run-tests"
                    + " does)", e);
        }
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).trim(),
                new String(err, StandardCharsets.UTF_8).trim());
    }

    /**
     * Asserts sox reads the whole file without a warning (a wrong header length, a partial frame or
     * a premature end all warn) and that it is 8 kHz 16-bit PCM with the given channels.
     *
     * @return the number of frames (samples per channel) soxi reports
     */
    static long assertPlayable(Path wav, int channels) throws IOException, InterruptedException {
        Result decode = run("sox", "-V2", wav.toString(), "-n");
        assertEquals(0, decode.exit(), wav + ": sox failed: " + decode.err());
        assertEquals("", decode.err(), wav + ": sox warns");
        assertEquals(String.valueOf(channels), run("soxi", "-c", wav.toString()).out(), wav + " channels");
        assertEquals("8000", run("soxi", "-r", wav.toString()).out(), wav + " rate");
        assertEquals("16", run("soxi", "-b", wav.toString()).out(), wav + " bits");
        assertTrue(run("soxi", "-e", wav.toString()).out().contains("Signed Integer PCM"), wav + " encoding");
        return Long.parseLong(run("soxi", "-s", wav.toString()).out());
    }

    /** The samples of one channel, as sox decodes them to raw 16-bit little-endian. */
    static short[] channel(Path wav, int channel) throws IOException, InterruptedException {
        Path raw = Files.createTempFile("callrec-sox", ".raw");
        try {
            Result r = run("sox", wav.toString(), "-t", "raw", "-e", "signed-integer", "-b", "16", "-L",
                    raw.toString(), "remix", String.valueOf(channel + 1));
            assertEquals(0, r.exit(), r.err());
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
            short[] s = new short[b.remaining() / 2];
            b.asShortBuffer().get(s);
            return s;
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    /** Every WAV file under a folder. */
    static List<Path> wavFiles(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        try (var s = Files.walk(root)) {
            s.filter(p -> p.toString().endsWith(".wav")).sorted().forEach(out::add);
        }
        return out;
    }
}
