package org.callrec.capture.mirror.internal.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.callrec.capture.mirror.internal.packet.TestFrames.Datagram;
import org.callrec.capture.mirror.internal.packet.TestFrames.Traffic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureFileReaderTest {

    @TempDir
    Path dir;

    private static List<Datagram> sorted(List<Datagram> l) {
        List<Datagram> c = new ArrayList<>(l);
        c.sort(null);
        return c;
    }

    @Test
    void pcapInBothByteOrdersAndResolutionsGivesWhatWasWrittenAndWhatTsharkReads() throws Exception {
        Traffic t = TestFrames.mixed(1, 300, 1400, 42);
        for (boolean nanos : new boolean[] {false, true}) {
            for (boolean be : new boolean[] {false, true}) {
                Path f = dir.resolve("t-" + nanos + be + ".pcap");
                TestFrames.writePcap(f, LinkType.ETHERNET, t.frames(), nanos, be);
                List<Datagram> got = TestFrames.decodeFile(f);
                assertEquals(t.datagrams(), got, f.toString());
                assertEquals(sorted(TestFrames.tsharkDatagrams(f)), sorted(got), "tshark vs us on " + f);
            }
        }
    }

    @Test
    void pcapngWithTwoInterfacesAndSkippedBlocksGivesWhatTsharkReads() throws Exception {
        Traffic t = TestFrames.mixed(2, 200, 1400);
        for (boolean be : new boolean[] {false, true}) {
            Path f = dir.resolve("t-" + be + ".pcapng");
            TestFrames.writePcapng(f, LinkType.ETHERNET, t.frames(), be);
            List<Long> times = new ArrayList<>();
            List<Datagram> got = new ArrayList<>();
            FrameDecoder decoder = new FrameDecoder(d -> {
                got.add(Datagram.of(d));
                times.add(d.timestampNanos());
            }, 1_000_000_000L, 16);
            CaptureFileSummary s = CaptureFileReader.read(f, decoder::frame);
            assertEquals("pcapng", s.format());
            assertTrue(s.complete());
            assertEquals(0, s.problemCount(), s.problems().toString());
            assertEquals(t.datagrams(), got);
            assertEquals(sorted(TestFrames.tsharkDatagrams(f)), sorted(got));
            // interface 0 in microseconds, interface 1 in nanoseconds (if_tsresol 9)
            assertEquals(1_700_000_000_000_000_000L, times.get(0));
            assertEquals(1_700_000_000_000_001_000L, times.get(1));
        }
    }

    @Test
    void fragmentedIpv4AndIpv6InAFileAreReassembledLikeTsharkDoes() throws Exception {
        Random random = new Random(3);
        List<byte[]> frames = new ArrayList<>();
        byte[] a = TestFrames.ip("10.9.9.1");
        byte[] b = TestFrames.ip("10.9.9.2");
        byte[] a6 = TestFrames.ip("2001:db8::9:1");
        byte[] b6 = TestFrames.ip("2001:db8::9:2");
        for (int i = 0; i < 20; i++) {
            byte[] p = TestFrames.randomPayload(random, 1500 + random.nextInt(3000));
            for (byte[] f : TestFrames.ipv4Fragments(a, b, 17, 100 + i, TestFrames.udp(a, b, 4000, 4002, p), 1480)) {
                frames.add(TestFrames.ethernet(f));
            }
            byte[] q = TestFrames.randomPayload(random, 1500 + random.nextInt(3000));
            for (byte[] f : TestFrames.ipv6Fragments(a6, b6, 17, 500 + i, TestFrames.udp(a6, b6, 4000, 4002, q), 1448)) {
                frames.add(TestFrames.ethernet(f));
            }
        }
        Path f = dir.resolve("frag.pcap");
        TestFrames.writePcap(f, LinkType.ETHERNET, frames, false, false);
        List<Datagram> got = TestFrames.decodeFile(f);
        assertEquals(40, got.size());
        assertEquals(sorted(TestFrames.tsharkDatagrams(f)), sorted(got));
    }

    @Test
    void notACaptureFileIsAnErrorNamingWhatWasFound() throws Exception {
        Path f = dir.resolve("notes.txt");
        Files.writeString(f, "hello, this is text");
        CaptureFileException e = assertThrows(CaptureFileException.class, () -> CaptureFileReader.read(f, (l, b, o, c, n, t) -> { }));
        assertTrue(e.getMessage().contains("notes.txt") && e.getMessage().contains("0x68656C6C"), e.getMessage());
        Path empty = dir.resolve("empty.pcap");
        Files.write(empty, new byte[0]);
        e = assertThrows(CaptureFileException.class, () -> CaptureFileReader.read(empty, (l, b, o, c, n, t) -> { }));
        assertTrue(e.getMessage().contains("only 0 bytes"), e.getMessage());
    }

    @Test
    void aPcapCutInsideARecordKeepsEverythingBeforeAndNamesTheRecord() throws Exception {
        Traffic t = TestFrames.mixed(4, 10, 200);
        Path f = dir.resolve("cut.pcap");
        TestFrames.writePcap(f, LinkType.ETHERNET, t.frames(), false, false);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 5));
        List<Datagram> got = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(d -> got.add(Datagram.of(d)), 1_000_000_000L, 16);
        CaptureFileSummary s = CaptureFileReader.read(f, decoder::frame);
        assertFalse(s.complete());
        assertEquals(9, s.frames());
        assertEquals(t.datagrams().subList(0, 9), got);
        assertEquals(1, s.problemCount());
        assertTrue(s.problems().get(0).contains("record 10") && s.problems().get(0).contains("file ends inside the frame"),
                s.problems().get(0));
    }

    @Test
    void anImpossibleRecordLengthStopsReadingWithTheRecordAndOffset() throws Exception {
        Traffic t = TestFrames.mixed(5, 5, 100);
        Path f = dir.resolve("bad.pcap");
        TestFrames.writePcap(f, LinkType.ETHERNET, t.frames(), false, false);
        byte[] all = Files.readAllBytes(f);
        int third = 24 + 16 + t.frames().get(0).length + 16 + t.frames().get(1).length;
        all[third + 8 + 3] = 0x7F; // captured length of record 3, little-endian high byte
        Files.write(f, all);
        CaptureFileSummary s = CaptureFileReader.read(f, (l, b, o, c, n, ts) -> { });
        assertEquals(2, s.frames());
        assertFalse(s.complete());
        assertTrue(s.problems().get(0).contains("record 3 at byte " + third), s.problems().get(0));
    }

    @Test
    void aPcapngBlockWithAWrongTrailerIsNamed() throws Exception {
        Traffic t = TestFrames.mixed(6, 4, 100);
        Path f = dir.resolve("bad.pcapng");
        TestFrames.writePcapng(f, LinkType.ETHERNET, t.frames(), false);
        byte[] all = Files.readAllBytes(f);
        all[all.length - 4] ^= 0x10; // last block's trailing length
        Files.write(f, all);
        CaptureFileSummary s = CaptureFileReader.read(f, (l, b, o, c, n, ts) -> { });
        assertEquals(3, s.frames());
        assertFalse(s.complete());
        assertTrue(s.problems().get(0).contains("trailing length"), s.problems().get(0));
    }

    @Test
    void packetsOfAnUndescribedInterfaceAreSkippedAndCounted() throws Exception {
        Traffic t = TestFrames.mixed(7, 4, 100);
        Path f = dir.resolve("iface.pcapng");
        TestFrames.writePcapng(f, LinkType.ETHERNET, t.frames(), true);
        byte[] all = Files.readAllBytes(f);
        // first EPB follows SHB (28) and two IDBs (32 each): set its interface id to 7 (big-endian)
        all[28 + 64 + 8 + 3] = 7;
        Files.write(f, all);
        CaptureFileSummary s = CaptureFileReader.read(f, (l, b, o, c, n, ts) -> { });
        assertEquals(3, s.frames());
        assertEquals(1, s.skippedFrames());
        assertTrue(s.complete());
        assertTrue(s.problems().get(0).contains("interface 7 was not described"), s.problems().get(0));
    }
}
