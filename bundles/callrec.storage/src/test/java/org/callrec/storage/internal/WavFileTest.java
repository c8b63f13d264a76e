package org.callrec.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavFileTest {

    @TempDir
    Path dir;

    @Test
    void stereoChannelsLandOnTheirSideAndGapsAreSilenceOnTheCallClock() throws Exception {
        Path p = dir.resolve("s.wav");
        try (WavFile w = WavFile.create(p, 2)) {
            // user side: 0-1 s, then a 0.5 s gap, then 1.5-2 s; other party: 0-2 s in 20 ms packets, lagging
            w.write(0, 0, TestSignal.block(1, 0, 0, 8000), 0, 8000);
            w.silence(0, 8000, 4000);
            w.write(0, 12000, TestSignal.block(1, 0, 12000, 4000), 0, 4000);
            for (long pos = 0; pos < 16000; pos += 160) {
                w.write(1, pos, TestSignal.block(1, 1, pos, 160), 0, 160);
                if (pos % 4000 == 0) {
                    w.flush(); // commits while the other channel is ahead: exercises the in-place patch
                }
            }
        }
        assertEquals(16000, Sox.assertPlayable(p, 2));
        Ffmpeg.assertDecodesLikeSox(p);
        short[] left = Sox.channel(p, 0);
        short[] right = Sox.channel(p, 1);
        for (int i = 0; i < 16000; i++) {
            short expectLeft = i >= 8000 && i < 12000 ? 0 : TestSignal.sample(1, 0, i);
            assertEquals(expectLeft, left[i], "left sample " + i);
            assertEquals(TestSignal.sample(1, 1, i), right[i], "right sample " + i);
        }
    }

    @Test
    void audioWrittenFasterThanTheFlushSlidesTheWindowWithoutLosingASample() throws Exception {
        // an offline import: 20 s of stereo with no flush at all, 30 ms packets (they straddle the
        // in-memory ring's end), the other party 90 ms behind, a gap across the ring's end, then a
        // jump of the user's side beyond the window (zeros written) and the other party catching up
        Path p = dir.resolve("f.wav");
        int packet = 240;
        long end = 160_080;
        try (WavFile w = WavFile.create(p, 2)) {
            for (long pos = 0; pos < end; pos += packet) {
                if (pos >= 30_000 && pos < 34_080) {
                    w.silence(0, pos, packet);
                } else if (pos < 100_080 || pos >= 140_160) {
                    w.write(0, pos, TestSignal.block(5, 0, pos, packet), 0, packet);
                }
                long lag = pos - 720;
                if (lag >= 0) {
                    w.write(1, lag, TestSignal.block(5, 1, lag, packet), 0, packet);
                }
            }
            w.write(1, end - 720, TestSignal.block(5, 1, end - 720, 720), 0, 720);
        }
        assertEquals(end, Sox.assertPlayable(p, 2));
        short[] left = Sox.channel(p, 0);
        short[] right = Sox.channel(p, 1);
        for (int i = 0; i < end; i++) {
            boolean silent = i >= 30_000 && i < 34_080 || i >= 100_080 && i < 140_160;
            assertEquals(silent ? 0 : TestSignal.sample(5, 0, i), left[i], "left sample " + i);
            assertEquals(TestSignal.sample(5, 1, i), right[i], "right sample " + i);
        }
    }

    @Test
    void missingAudioBeforeAPositionIsSilenceAndFarJumpsWork() throws Exception {
        Path p = dir.resolve("m.wav");
        try (WavFile w = WavFile.create(p, 1)) {
            w.write(0, 0, TestSignal.block(2, 0, 0, 800), 0, 800);
            // 30 s later (a hold nobody marked): far beyond the in-memory window
            w.write(0, 240_800, TestSignal.block(2, 0, 240_800, 800), 0, 800);
        }
        assertEquals(241_600, Sox.assertPlayable(p, 1));
        Ffmpeg.assertDecodesLikeSox(p);
        short[] s = Sox.channel(p, 0);
        assertEquals(TestSignal.sample(2, 0, 799), s[799]);
        assertEquals(0, s[800]);
        assertEquals(0, s[240_799]);
        assertEquals(TestSignal.sample(2, 0, 240_800), s[240_800]);
    }

    @Test
    void headerIsCurrentAfterEachFlushSoAnOpenFileIsPlayable() throws Exception {
        Path p = dir.resolve("open.wav");
        WavFile w = WavFile.create(p, 1);
        w.write(0, 0, TestSignal.block(3, 0, 0, 8000), 0, 8000);
        w.flush();
        // not closed: the file as it is on disk now is already valid
        assertEquals(8000, Sox.assertPlayable(p, 1));
        w.close();
    }

    @Test
    void impossiblePositionsAreRefusedWithTheReason() throws Exception {
        try (WavFile w = WavFile.create(dir.resolve("bad.wav"), 2)) {
            short[] s = new short[10];
            assertEquals("channel 2 does not exist in a 2-channel recording",
                    assertThrows(IllegalArgumentException.class, () -> w.write(2, 0, s, 0, 10)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> w.write(0, -1, s, 0, 10));
            assertThrows(IllegalArgumentException.class, () -> w.write(0, WavFile.MAX_FRAMES, s, 0, 10));
            w.write(0, 0, s, 0, 10); // still usable
        }
    }

    @Test
    void repairCutsAPartialFrameAndFixesStaleSizes() throws Exception {
        Path p = dir.resolve("crashed.wav");
        WavFile w = WavFile.create(p, 2);
        w.write(0, 0, TestSignal.block(4, 0, 0, 4000), 0, 4000);
        w.write(1, 0, TestSignal.block(4, 1, 0, 4000), 0, 4000);
        w.flush();
        // what a crash leaves: more data than the header says, ending in half a frame
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(new byte[4 * 1000 + 3]));
        }
        assertEquals(5000, WavFile.repair(p, 2));
        assertEquals(44 + 5000 * 4, Files.size(p));
        assertEquals(5000, Sox.assertPlayable(p, 2));
        ByteBuffer h = ByteBuffer.wrap(Files.readAllBytes(p), 0, 44).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(36 + 20000, h.getInt(4));
        assertEquals(20000, h.getInt(40));
    }

    @Test
    void repairOfAFileWithoutHeaderGivesAnEmptyValidFile() throws Exception {
        Path p = dir.resolve("empty.wav");
        Files.write(p, new byte[10]);
        assertEquals(0, WavFile.repair(p, 1));
        assertEquals(0, Sox.assertPlayable(p, 1));
    }
}
