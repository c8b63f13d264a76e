package org.callrec.rtp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.callrec.api.health.HealthReport;
import org.callrec.api.health.HealthStatus;
import org.callrec.api.rtp.PayloadFormat;
import org.callrec.rtp.internal.G729ConformanceTest.G729Packets;
import org.callrec.rtp.internal.TestMedia.Frame;
import org.junit.jupiter.api.Test;

/**
 * A G.729 call recorded where bcg729 cannot be loaded is kept raw with its timing, and decodes
 * bit-exactly once the library is there. Runs in its own JVM (surefire reuseForks=false), so the
 * library is really not bound when the call is recorded: it is configured at a path where it is not
 * installed yet, then the OS's libbcg729.so.0 is copied there and the console command looks again.
 */
class G729MissingLibraryTest {

    @Test
    void callIsKeptRawAndDecodesBitExactlyOnceTheLibraryIsInstalled() throws Exception {
        List<Frame> frames = TestMedia.g729Encode(TestMedia.speech(), true);
        List<G729Packets.Packet> packets = G729Packets.packetize(frames);
        boolean[] erased = new boolean[frames.size()];
        List<G729Packets.Packet> sent = G729Packets.drop(packets, erased, new Random(3), 0.05);
        short[] reference = TestMedia.g729Decode(frames, erased);

        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory(TestMedia.work(), "lib");
        java.nio.file.Path installed = dir.resolve("libbcg729.so.0");
        G729Decoders g729 = Codecs.g729(installed.toAbsolutePath().toString());
        assertFalse(g729.available());
        HealthReport health = g729.check();
        assertEquals(HealthStatus.WARNING, health.status());
        assertTrue(health.message().contains("kept raw") && health.message().contains(installed.toAbsolutePath().toString()),
                health.message());
        assertThrows(IllegalStateException.class, g729::create);

        CollectingSink recording = new CollectingSink();
        StreamPlayout playout = Codecs.playout(List.of(PayloadFormat.G729), recording, recording, g729);
        G729Packets.send(sent, playout);
        playout.close();
        assertTrue(playout.decodePending(), "recording not marked decode pending");
        assertEquals(0, recording.end, "no PCM can exist without the decoder");
        assertEquals(sent.size(), recording.raw.size(), "every payload kept");
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i).payload(), recording.raw.get(i).payload(), "payload " + i + " kept losslessly");
            assertEquals(sent.get(i).firstFrame() * 80L, recording.raw.get(i).samplePosition(), "timing of payload " + i);
        }

        // the administrator installs libbcg729-0; the console command looks again
        java.nio.file.Path os = java.nio.file.Paths.get("/usr/lib/x86_64-linux-gnu/libbcg729.so.0");
        assertTrue(java.nio.file.Files.exists(os), "install the Debian package libbcg729-0");
        java.nio.file.Files.copy(os, installed);
        assertTrue(g729.g729().contains("available"), g729.g729());
        assertEquals(HealthStatus.OK, g729.check().status());

        CollectingSink decoded = new CollectingSink();
        RawReplay.decode(g729, 0, recording.raw, decoded);
        G729Packets.Packet last = sent.get(sent.size() - 1);
        assertEquals(last.endSample(), decoded.end);
        assertArrayEquals(Arrays.copyOf(reference, (int) decoded.end), decoded.written(),
                "late decode differs from bcg729 on the same frames and erasures");
    }
}
