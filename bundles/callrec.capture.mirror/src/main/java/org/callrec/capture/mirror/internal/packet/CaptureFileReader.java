package org.callrec.capture.mirror.internal.packet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Reads libpcap capture files (the classic format, microsecond or nanosecond, either byte order)
 * and pcapng files (IETF draft-ietf-opsawg-pcapng: section header, interface description, enhanced,
 * simple and obsolete packet blocks; other blocks are skipped), handing each frame on from one
 * reused buffer. A damage is reported with the record or block number and byte offset; what came
 * before it is kept. A file that is not a capture at all is a {@link CaptureFileException}.
 */
public final class CaptureFileReader {

    private static final int PCAP_MICROS = 0xA1B2C3D4;
    private static final int PCAP_NANOS = 0xA1B23C4D;
    private static final int PCAPNG_SHB = 0x0A0D0D0A;
    private static final int PCAPNG_BYTE_ORDER = 0x1A2B3C4D;
    private static final int BLOCK_IDB = 1;
    private static final int BLOCK_OPB = 2;
    private static final int BLOCK_SPB = 3;
    private static final int BLOCK_EPB = 6;
    /** Larger than any frame a NIC delivers, small enough to tell a damaged length field. */
    private static final int MAX_FRAME = 256 * 1024;
    private static final int MAX_BLOCK = 16 * 1024 * 1024;
    private static final int MAX_PROBLEMS_KEPT = 100;
    private static final long PROGRESS_EVERY_BYTES = 64L * 1024 * 1024;

    private final Path file;
    private final InputStream in;
    private final FrameHandler handler;
    private final LongConsumer progress;
    private byte[] buf = new byte[1 << 20];
    private int pos;
    private int limit;
    private long consumedBefore; // file offset of buf[0]
    private long nextProgress = PROGRESS_EVERY_BYTES;
    private boolean bigEndian;

    private long frames;
    private long bytes;
    private long skipped;
    private final List<String> problems = new ArrayList<>();
    private long problemCount;

    private CaptureFileReader(Path file, InputStream in, FrameHandler handler, LongConsumer progress) {
        this.file = file;
        this.in = in;
        this.handler = handler;
        this.progress = progress;
    }

    /**
     * Reads a whole capture file.
     *
     * @param file pcap or pcapng file
     * @param handler takes each frame
     * @return what was read and what was wrong
     * @throws CaptureFileException if the file is not a pcap or pcapng file
     * @throws IOException if the file cannot be read
     */
    public static CaptureFileSummary read(Path file, FrameHandler handler) throws CaptureFileException, IOException {
        return read(file, handler, bytesRead -> { });
    }

    /**
     * Reads a whole capture file, reporting progress.
     *
     * @param file pcap or pcapng file
     * @param handler takes each frame
     * @param progress called with the bytes read so far, every 64 MiB
     * @return what was read and what was wrong
     * @throws CaptureFileException if the file is not a pcap or pcapng file
     * @throws IOException if the file cannot be read
     */
    public static CaptureFileSummary read(Path file, FrameHandler handler, LongConsumer progress)
            throws CaptureFileException, IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new CaptureFileReader(file, in, handler, progress).readAll();
        }
    }

    private CaptureFileSummary readAll() throws IOException, CaptureFileException {
        if (!ensure(4)) {
            throw new CaptureFileException(file + ": not a capture file: only " + limit + " bytes long");
        }
        int magicBe = i32(pos, true);
        if (magicBe == PCAPNG_SHB) {
            boolean complete = readPcapng();
            return summary("pcapng", complete);
        }
        if (magicBe == PCAP_MICROS || magicBe == PCAP_NANOS) {
            bigEndian = true;
        } else if (Integer.reverseBytes(magicBe) == PCAP_MICROS || Integer.reverseBytes(magicBe) == PCAP_NANOS) {
            bigEndian = false;
        } else {
            throw new CaptureFileException(String.format(
                    "%s: not a pcap or pcapng file: it starts with 0x%08X, expected the pcap magic 0xA1B2C3D4/0xA1B23C4D"
                            + " (either byte order) or the pcapng section header 0x0A0D0D0A", file, magicBe));
        }
        boolean complete = readPcap();
        return summary("pcap", complete);
    }

    private CaptureFileSummary summary(String format, boolean complete) {
        return new CaptureFileSummary(format, frames, bytes, skipped, problems, problemCount, complete);
    }

    // ---- pcap ---------------------------------------------------------------------------------

    private boolean readPcap() throws IOException, CaptureFileException {
        if (!ensure(24)) {
            throw new CaptureFileException(file + ": pcap file header is cut short: " + (limit - pos)
                    + " of 24 bytes");
        }
        boolean nanos = i32(pos, bigEndian) == PCAP_NANOS;
        int major = u16(pos + 4);
        int linkTypeField = i32(pos + 20, bigEndian);
        if (major != 2) {
            throw new CaptureFileException(file + ": pcap version " + major + "." + u16(pos + 6)
                    + " is not supported (only 2.x)");
        }
        int linkType = linkTypeField & 0x0FFFFFFF; // upper bits carry the FCS length
        pos += 24;
        if (!LinkType.supported(linkType)) {
            problem("pcap header at byte 0: link type " + linkType + " is not supported; its frames are skipped");
        }
        long record = 0;
        while (true) {
            long at = offset();
            if (!ensure(16)) {
                if (limit > pos) {
                    problem("record " + (record + 1) + " at byte " + at + ": file ends inside the 16-byte record header ("
                            + (limit - pos) + " bytes left)");
                    return false;
                }
                return true;
            }
            record++;
            long seconds = i32(pos, bigEndian) & 0xFFFFFFFFL;
            long fraction = i32(pos + 4, bigEndian) & 0xFFFFFFFFL;
            int captured = i32(pos + 8, bigEndian);
            int original = i32(pos + 12, bigEndian);
            if (captured < 0 || captured > MAX_FRAME) {
                problem("record " + record + " at byte " + at + ": captured length " + (captured & 0xFFFFFFFFL)
                        + " is impossible (at most " + MAX_FRAME + "); the file is damaged here, reading stopped");
                return false;
            }
            if (fraction >= (nanos ? 1_000_000_000L : 1_000_000L)) {
                problem("record " + record + " at byte " + at + ": timestamp fraction " + fraction
                        + (nanos ? " ns" : " µs") + " is out of range; the file is damaged here, reading stopped");
                return false;
            }
            pos += 16;
            if (!ensure(captured)) {
                problem("record " + record + " at byte " + at + ": file ends inside the frame (" + (limit - pos)
                        + " of " + captured + " bytes)");
                return false;
            }
            long ts = seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1000);
            deliver(linkType, pos, captured, Math.max(original, captured), ts, "record " + record, at);
            pos += captured;
        }
    }

    // ---- pcapng -------------------------------------------------------------------------------

    private record Interface(int linkType, long unitsPerSecond, long offsetSeconds) {
    }

    private boolean readPcapng() throws IOException, CaptureFileException {
        List<Interface> interfaces = new ArrayList<>();
        long block = 0;
        boolean first = true;
        while (true) {
            long at = offset();
            if (!ensure(12)) {
                if (limit > pos) {
                    problem("block " + (block + 1) + " at byte " + at + ": file ends inside the block header ("
                            + (limit - pos) + " bytes left)");
                    return false;
                }
                return true;
            }
            block++;
            int type = i32(pos, bigEndian);
            if (i32(pos, true) == PCAPNG_SHB) {
                int bom = i32(pos + 8, true);
                if (bom == PCAPNG_BYTE_ORDER) {
                    bigEndian = true;
                } else if (Integer.reverseBytes(bom) == PCAPNG_BYTE_ORDER) {
                    bigEndian = false;
                } else {
                    String what = String.format("block %d at byte %d: section header has byte-order magic 0x%08X,"
                            + " expected 0x1A2B3C4D in either byte order", block, at, bom);
                    if (first) {
                        throw new CaptureFileException(file + ": not a pcapng file: " + what);
                    }
                    problem(what + "; reading stopped");
                    return false;
                }
                type = PCAPNG_SHB;
                interfaces.clear(); // interfaces are numbered per section
            }
            first = false;
            long length = i32(pos + 4, bigEndian) & 0xFFFFFFFFL;
            if (length < 12 || (length & 3) != 0 || length > MAX_BLOCK) {
                problem("block " + block + " (type 0x" + Integer.toHexString(type) + ") at byte " + at
                        + ": total length " + length + " is invalid (a multiple of 4, 12 to " + MAX_BLOCK
                        + "); the file is damaged here, reading stopped");
                return false;
            }
            int len = (int) length;
            if (!ensure(len)) {
                problem("block " + block + " (type 0x" + Integer.toHexString(type) + ") at byte " + at
                        + ": file ends inside the block (" + (limit - pos) + " of " + len + " bytes)");
                return false;
            }
            long trailer = i32(pos + len - 4, bigEndian) & 0xFFFFFFFFL;
            if (trailer != length) {
                problem("block " + block + " (type 0x" + Integer.toHexString(type) + ") at byte " + at
                        + ": trailing length " + trailer + " differs from leading length " + length
                        + "; the file is damaged here, reading stopped");
                return false;
            }
            int body = pos + 8;
            int bodyEnd = pos + len - 4;
            String where = "block " + block;
            switch (type) {
                case BLOCK_IDB -> {
                    if (bodyEnd - body < 8) {
                        problem(where + " (interface description) at byte " + at + ": body too short");
                    }
                    interfaces.add(bodyEnd - body < 8 ? new Interface(-1, 1_000_000, 0)
                            : interfaceDescription(body, bodyEnd, where, at));
                }
                case BLOCK_EPB, BLOCK_OPB -> packetBlock(type, body, bodyEnd, interfaces, where, at);
                case BLOCK_SPB -> {
                    if (interfaces.isEmpty()) {
                        skipped++;
                        problem(where + " (simple packet) at byte " + at + ": no interface described before it;"
                                + " frame skipped");
                    } else if (bodyEnd - body < 4) {
                        skipped++;
                        problem(where + " (simple packet) at byte " + at + ": body too short; frame skipped");
                    } else {
                        int original = i32(body, bigEndian);
                        int captured = Math.min(Math.max(original, 0), bodyEnd - body - 4);
                        // a simple packet block has no timestamp
                        deliver(interfaces.get(0).linkType(), body + 4, captured, original, 0, where, at);
                    }
                }
                default -> {
                    // section header, name resolution, statistics, custom: nothing to decode
                }
            }
            pos += len;
        }
    }

    private Interface interfaceDescription(int body, int bodyEnd, String where, long at) {
        int linkType = u16(body);
        long unitsPerSecond = 1_000_000;
        long offsetSeconds = 0;
        int o = body + 8;
        while (o + 4 <= bodyEnd) {
            int code = u16(o);
            int optionLength = u16(o + 2);
            int value = o + 4;
            if (code == 0 || value + optionLength > bodyEnd) {
                break; // opt_endofopt, or a damaged option list: keep what was read
            }
            if (code == 9 && optionLength >= 1) { // if_tsresol
                int r = buf[value] & 0xff;
                int exponent = r & 0x7F;
                if ((r & 0x80) != 0 ? exponent > 62 : exponent > 18) {
                    problem(where + " (interface description) at byte " + at + ": timestamp resolution 0x"
                            + Integer.toHexString(r) + " is out of range; microseconds assumed");
                } else {
                    unitsPerSecond = (r & 0x80) != 0 ? 1L << exponent : pow10(exponent);
                }
            } else if (code == 14 && optionLength >= 8) { // if_tsoffset
                offsetSeconds = i64(value);
            }
            o = value + ((optionLength + 3) & ~3);
        }
        if (!LinkType.supported(linkType)) {
            problem(where + " (interface description) at byte " + at + ": link type " + linkType
                    + " is not supported; frames of this interface are skipped");
        }
        return new Interface(linkType, unitsPerSecond, offsetSeconds);
    }

    private void packetBlock(int type, int body, int bodyEnd, List<Interface> interfaces, String where, long at) {
        boolean enhanced = type == BLOCK_EPB;
        String what = enhanced ? " (enhanced packet)" : " (packet)";
        int header = 20;
        if (bodyEnd - body < header) {
            skipped++;
            problem(where + what + " at byte " + at + ": body too short; frame skipped");
            return;
        }
        int interfaceId = enhanced ? i32(body, bigEndian) : u16(body);
        long high = i32(body + 4, bigEndian) & 0xFFFFFFFFL;
        long low = i32(body + 8, bigEndian) & 0xFFFFFFFFL;
        int captured = i32(body + 12, bigEndian);
        int original = i32(body + 16, bigEndian);
        if (interfaceId < 0 || interfaceId >= interfaces.size()) {
            skipped++;
            problem(where + what + " at byte " + at + ": interface " + (interfaceId & 0xFFFFFFFFL)
                    + " was not described (" + interfaces.size() + " interfaces in this section); frame skipped");
            return;
        }
        if (captured < 0 || body + header + captured > bodyEnd) {
            skipped++;
            problem(where + what + " at byte " + at + ": captured length " + (captured & 0xFFFFFFFFL)
                    + " exceeds the block; frame skipped");
            return;
        }
        Interface nic = interfaces.get(interfaceId);
        long units = high << 32 | low;
        long ts = (nic.offsetSeconds() + units / nic.unitsPerSecond()) * 1_000_000_000L
                + (units % nic.unitsPerSecond()) * 1_000_000_000L / nic.unitsPerSecond();
        deliver(nic.linkType(), body + header, captured, Math.max(original, captured), ts, where, at);
    }

    // ---- common -------------------------------------------------------------------------------

    private void deliver(int linkType, int off, int captured, int original, long ts, String where, long at) {
        if (!LinkType.supported(linkType)) {
            skipped++;
            problemCount++; // already described once per interface; count each frame
            return;
        }
        frames++;
        bytes += captured;
        handler.frame(linkType, buf, off, captured, original, ts);
    }

    private void problem(String message) {
        problemCount++;
        if (problems.size() < MAX_PROBLEMS_KEPT) {
            problems.add(file.getFileName() + ": " + message);
        }
    }

    private long offset() {
        return consumedBefore + pos;
    }

    /** Makes {@code n} bytes available from {@code pos}; false at end of file. */
    private boolean ensure(int n) throws IOException {
        if (limit - pos >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            consumedBefore += pos;
            limit -= pos;
            pos = 0;
        }
        if (n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(n, buf.length * 2));
        }
        while (limit < n) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                return false;
            }
            limit += r;
        }
        if (consumedBefore + limit >= nextProgress) {
            nextProgress += PROGRESS_EVERY_BYTES;
            progress.accept(consumedBefore + limit);
        }
        return true;
    }

    private int u16(int o) {
        return bigEndian ? (buf[o] & 0xff) << 8 | (buf[o + 1] & 0xff) : (buf[o + 1] & 0xff) << 8 | (buf[o] & 0xff);
    }

    private int i32(int o, boolean be) {
        int v = (buf[o] & 0xff) << 24 | (buf[o + 1] & 0xff) << 16 | (buf[o + 2] & 0xff) << 8 | (buf[o + 3] & 0xff);
        return be ? v : Integer.reverseBytes(v);
    }

    private long i64(int o) {
        long a = i32(o, bigEndian) & 0xFFFFFFFFL;
        long b = i32(o + 4, bigEndian) & 0xFFFFFFFFL;
        return bigEndian ? a << 32 | b : b << 32 | a;
    }

    private static long pow10(int e) {
        long v = 1;
        for (int i = 0; i < e; i++) {
            v *= 10;
        }
        return v;
    }
}
