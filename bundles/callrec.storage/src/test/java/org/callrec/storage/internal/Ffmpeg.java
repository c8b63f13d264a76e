package org.callrec.storage.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** ffmpeg (Debian package ffmpeg) as a second, independent reader of the files we write. */
final class Ffmpeg {

    private Ffmpeg() {
    }

    /**
     * Asserts ffmpeg decodes the whole file without an error and gets exactly the bytes sox gets
     * (interleaved 16-bit little-endian samples).
     */
    static void assertDecodesLikeSox(Path wav) throws IOException, InterruptedException {
        Path fromFfmpeg = Files.createTempFile("callrec-ffmpeg", ".raw");
        Path fromSox = Files.createTempFile("callrec-sox", ".raw");
        try {
            Process p;
            try {
                p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", wav.toString(), "-f", "s16le",
                        "-acodec", "pcm_s16le", fromFfmpeg.toString()).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IOException("ffmpeg is missing: install Debian package ffmpeg (integration-tests/run-tests does)", e);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("ffmpeg did not finish on " + wav);
            }
            assertEquals(0, p.exitValue(), wav + ": ffmpeg failed: " + out);
            assertEquals("", out, wav + ": ffmpeg reports a problem");
            Sox.Result sox = Sox.run("sox", wav.toString(), "-t", "raw", "-e", "signed-integer", "-b", "16", "-L",
                    fromSox.toString());
            assertEquals(0, sox.exit(), sox.err());
            assertArrayEquals(Files.readAllBytes(fromSox), Files.readAllBytes(fromFfmpeg), wav + ": ffmpeg and sox differ");
        } finally {
            Files.deleteIfExists(fromFfmpeg);
            Files.deleteIfExists(fromSox);
        }
    }
}
