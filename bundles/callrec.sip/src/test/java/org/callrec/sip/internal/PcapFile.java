package org.callrec.sip.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads capture files in the two formats tcpdump and tshark write: classic pcap (microsecond or
 * nanosecond, either byte order) and pcapng (Section Header, Interface Description, Enhanced and
 * Simple Packet blocks; if_tsresol honoured). Formats as documented by the tcpdump group and the
 * IETF pcapng draft.
 */
final class PcapFile {

    /** One captured frame with its interface's link type (LINKTYPE_ value). */
    record Frame(Instant time, int linkType, byte[] data) {
    }

    private PcapFile() {
    }

    static List<Frame> read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 24) {
            throw new IOException(file + ": too short for a capture file (" + all.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        int magicBe = b.order(ByteOrder.BIG_ENDIAN).getInt(0);
        if (magicBe == 0x0A0D0D0A) {
            return pcapng(file, b);
        }
        return pcap(file, b);
    }

    private static List<Frame> pcap(Path file, ByteBuffer b) throws IOException {
        boolean nanos;
        int m = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (m == 0xa1b2c3d4 || m == 0xa1b23c4d) {
            b.order(ByteOrder.LITTLE_ENDIAN);
        } else {
            b.order(ByteOrder.BIG_ENDIAN);
            m = b.getInt(0);
            if (m != 0xa1b2c3d4 && m != 0xa1b23c4d) {
                throw new IOException(file + ": not a pcap or pcapng file (magic 0x" + Integer.toHexString(m) + ")");
            }
        }
        nanos = m == 0xa1b23c4d;
        int linkType = b.getInt(20) & 0x0FFFFFFF; // upper bits: FCS information
        List<Frame> frames = new ArrayList<>();
        int pos = 24;
        while (pos + 16 <= b.limit()) {
            long sec = Integer.toUnsignedLong(b.getInt(pos));
            long frac = Integer.toUnsignedLong(b.getInt(pos + 4));
            int incl = b.getInt(pos + 8);
            if (incl < 0 || pos + 16 + incl > b.limit()) {
                throw new IOException(file + ": record at offset " + pos + " claims " + incl + " bytes past the end");
            }
            byte[] data = new byte[incl];
            b.get(pos + 16, data);
            frames.add(new Frame(Instant.ofEpochSecond(sec, nanos ? frac : frac * 1000), linkType, data));
            pos += 16 + incl;
        }
        return frames;
    }

    private static List<Frame> pcapng(Path file, ByteBuffer b) throws IOException {
        List<Frame> frames = new ArrayList<>();
        List<int[]> interfaces = new ArrayList<>(); // {linkType, resolution exponent, base (10 or 2)}
        int pos = 0;
        while (pos + 12 <= b.limit()) {
            int type;
            int length;
            // the Section Header type reads the same in both byte orders
            if (b.get(pos) == 0x0A && b.get(pos + 1) == 0x0D && b.get(pos + 2) == 0x0D && b.get(pos + 3) == 0x0A) {
                int bom = b.order(ByteOrder.BIG_ENDIAN).getInt(pos + 8);
                b.order(bom == 0x1A2B3C4D ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                if (b.getInt(pos + 8) != 0x1A2B3C4D) {
                    throw new IOException(file + ": pcapng section at " + pos + " has a bad byte-order magic");
                }
                interfaces.clear(); // interface ids are per section
                type = 0x0A0D0D0A;
                length = b.getInt(pos + 4);
            } else {
                type = b.getInt(pos);
                length = b.getInt(pos + 4);
            }
            if (length < 12 || length % 4 != 0 || pos + length > b.limit()) {
                throw new IOException(file + ": pcapng block at offset " + pos + " has a bad length " + length);
            }
            switch (type) {
                case 1 -> interfaces.add(idb(b, pos, length));
                case 6 -> {
                    int ifId = b.getInt(pos + 8);
                    if (ifId < 0 || ifId >= interfaces.size()) {
                        throw new IOException(file + ": packet at " + pos + " names unknown interface " + ifId);
                    }
                    int[] itf = interfaces.get(ifId);
                    long ts = (Integer.toUnsignedLong(b.getInt(pos + 12)) << 32) | Integer.toUnsignedLong(b.getInt(pos + 16));
                    int cap = b.getInt(pos + 20);
                    if (cap < 0 || 28 + cap > length) {
                        throw new IOException(file + ": packet at " + pos + " claims " + cap + " bytes past its block");
                    }
                    byte[] data = new byte[cap];
                    b.get(pos + 28, data);
                    frames.add(new Frame(instant(ts, itf), itf[0], data));
                }
                case 3 -> {
                    if (interfaces.isEmpty()) {
                        throw new IOException(file + ": simple packet block before any interface");
                    }
                    int cap = Math.min(b.getInt(pos + 8), length - 16);
                    byte[] data = new byte[cap];
                    b.get(pos + 12, data);
                    frames.add(new Frame(Instant.EPOCH, interfaces.get(0)[0], data));
                }
                default -> {
                    // section header, statistics, name resolution, custom: nothing to read
                }
            }
            pos += length;
        }
        return frames;
    }

    private static int[] idb(ByteBuffer b, int pos, int length) {
        int linkType = b.getShort(pos + 8) & 0xFFFF;
        int exp = 6;
        int base = 10;
        int o = pos + 16;
        int end = pos + length - 4;
        while (o + 4 <= end) {
            int code = b.getShort(o) & 0xFFFF;
            int len = b.getShort(o + 2) & 0xFFFF;
            if (code == 0) {
                break;
            }
            if (code == 9 && len >= 1) { // if_tsresol
                int v = b.get(o + 4) & 0xFF;
                base = (v & 0x80) != 0 ? 2 : 10;
                exp = v & 0x7F;
            }
            o += 4 + ((len + 3) & ~3);
        }
        return new int[] {linkType, exp, base};
    }

    private static Instant instant(long ts, int[] itf) {
        if (itf[2] == 10) {
            long unitsPerSec = 1;
            for (int i = 0; i < itf[1]; i++) {
                unitsPerSec *= 10;
            }
            long sec = Long.divideUnsigned(ts, unitsPerSec);
            long rem = Long.remainderUnsigned(ts, unitsPerSec);
            long nanos = itf[1] <= 9 ? rem * (1_000_000_000L / unitsPerSec) : rem / (unitsPerSec / 1_000_000_000L);
            return Instant.ofEpochSecond(sec, nanos);
        }
        long unitsPerSec = 1L << itf[1];
        long sec = ts >>> itf[1];
        long rem = ts & (unitsPerSec - 1);
        return Instant.ofEpochSecond(sec, (long) (rem * 1e9 / unitsPerSec));
    }
}
