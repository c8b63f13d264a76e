package org.callrec.console.internal;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

import javax.imageio.ImageIO;

import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.audio.GapMarker;
import org.callrec.api.storage.RecordingEntry;

/**
 * A recording's waveform as a PNG: one band per channel (direction), each pixel column the min/max
 * of the samples it covers, gap markers as red spans and DTMF digits where they were pressed, at
 * their positions from the catalog entry. Drawn pixel by pixel into a BufferedImage (the digits
 * from a built-in 3x5 pixel font), so it needs no display, no fonts and no external tool.
 */
final class Waveform {

    static final int BAND_HEIGHT = 64;
    static final int BACKGROUND = 0xFFFFFF;
    static final int AXIS = 0xD8D8D8;
    static final int WAVE = 0x1F5FAF;
    static final int GAP = 0xD0301E;
    static final int GAP_SHADE = 0xF6C9C4;
    static final int DTMF = 0xE08000;
    /** Height of the solid gap bar at the bottom of a band: where a gap is unmistakable. */
    static final int GAP_BAR = 4;

    /** 3x5 glyphs of the DTMF digits, one row per 3 bits, top row first. */
    private static final String DIGITS = "0123456789*#ABCD";
    private static final int[][] GLYPHS = {
        {7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 3, 1, 7}, {5, 5, 7, 1, 1},
        {7, 4, 7, 1, 7}, {7, 4, 7, 5, 7}, {7, 1, 1, 2, 2}, {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7},
        {5, 2, 7, 2, 5}, {5, 7, 5, 7, 5}, {2, 5, 7, 5, 5}, {6, 5, 6, 5, 6}, {7, 4, 4, 4, 7}, {6, 5, 5, 5, 6}};

    private Waveform() {
    }

    /** The x of a sample position: columns divide the recording evenly. */
    static int column(long sample, long frames, int width) {
        if (frames <= 0) {
            return 0;
        }
        return (int) Math.min(width - 1, Math.max(0, sample * width / frames));
    }

    /**
     * Renders the picture.
     *
     * @param wav the recording's WAV file (8 kHz 16-bit PCM, as storage writes it)
     * @param entry its catalog entry (gaps, DTMF)
     * @param width image width in pixels
     * @return the PNG bytes
     * @throws IOException if the WAV cannot be read or is not 16-bit PCM
     */
    static byte[] png(InputStream wav, RecordingEntry entry, int width) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(wav, 1 << 16));
        int channels = 0;
        long dataBytes = -1;
        byte[] riff = new byte[12];
        in.readFully(riff);
        if (riff[0] != 'R' || riff[1] != 'I' || riff[2] != 'F' || riff[3] != 'F' || riff[8] != 'W' || riff[9] != 'A') {
            throw new IOException("not a WAV file (no RIFF/WAVE header)");
        }
        while (dataBytes < 0) {
            byte[] id = new byte[4];
            in.readFully(id);
            long size = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
            String chunk = new String(id, java.nio.charset.StandardCharsets.US_ASCII);
            if (chunk.equals("fmt ")) {
                byte[] fmt = new byte[(int) size];
                in.readFully(fmt);
                int format = fmt[0] & 0xFF | (fmt[1] & 0xFF) << 8;
                channels = fmt[2] & 0xFF | (fmt[3] & 0xFF) << 8;
                int bits = fmt[14] & 0xFF | (fmt[15] & 0xFF) << 8;
                if (format != 1 || bits != 16 || channels < 1 || channels > 8) {
                    throw new IOException("not 16-bit PCM: format " + format + ", " + bits + " bits, " + channels
                            + " channels");
                }
            } else if (chunk.equals("data")) {
                dataBytes = size;
            } else {
                in.skipNBytes(size + (size & 1));
            }
        }
        if (channels == 0) {
            throw new IOException("WAV data before its fmt chunk");
        }
        long frames = dataBytes / (2L * channels);
        int height = channels * BAND_HEIGHT + (channels - 1);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        fill(img, 0, 0, width, height, BACKGROUND);
        for (int c = 0; c < channels; c++) {
            int top = c * (BAND_HEIGHT + 1);
            if (c > 0) {
                fill(img, 0, top - 1, width, 1, AXIS);
            }
            fill(img, 0, top + BAND_HEIGHT / 2, width, 1, AXIS);
        }
        // gaps first, so the waveform (silence there anyway) and DTMF stay visible over them
        for (GapMarker g : entry.gaps()) {
            if (g.channel() < channels && frames > 0) {
                int x0 = column(g.startSample(), frames, width);
                int x1 = Math.max(x0 + 1, column(g.startSample() + g.samples(), frames, width));
                int top = g.channel() * (BAND_HEIGHT + 1);
                fill(img, x0, top, x1 - x0, BAND_HEIGHT - GAP_BAR, GAP_SHADE);
                fill(img, x0, top + BAND_HEIGHT - GAP_BAR, x1 - x0, GAP_BAR, GAP);
            }
        }
        drawWave(in, img, channels, frames, width);
        for (DtmfEvent d : entry.dtmf()) {
            if (d.channel() < channels && frames > 0) {
                int x = column(d.startSample(), frames, width);
                int top = d.channel() * (BAND_HEIGHT + 1);
                fill(img, x, top, 1, BAND_HEIGHT - GAP_BAR, DTMF);
                glyph(img, d.digit(), Math.min(x + 2, width - 7), top + 1);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", out)) {
            throw new IOException("no PNG writer in this Java runtime");
        }
        return out.toByteArray();
    }

    private static void drawWave(DataInputStream in, BufferedImage img, int channels, long frames, int width)
            throws IOException {
        if (frames == 0) {
            return;
        }
        int[] min = new int[channels];
        int[] max = new int[channels];
        int current = -1;
        byte[] buf = new byte[2 * channels * 4096];
        long frame = 0;
        while (frame < frames) {
            int want = (int) Math.min(buf.length / (2 * channels), frames - frame) * 2 * channels;
            int got = in.readNBytes(buf, 0, want);
            int n = got / (2 * channels);
            for (int i = 0; i < n; i++, frame++) {
                int x = column(frame, frames, width);
                if (x != current) {
                    if (current >= 0) {
                        column(img, current, min, max);
                    }
                    current = x;
                    java.util.Arrays.fill(min, Integer.MAX_VALUE);
                    java.util.Arrays.fill(max, Integer.MIN_VALUE);
                }
                for (int c = 0; c < channels; c++) {
                    int o = (i * channels + c) * 2;
                    int s = (short) (buf[o] & 0xFF | buf[o + 1] << 8);
                    min[c] = Math.min(min[c], s);
                    max[c] = Math.max(max[c], s);
                }
            }
            if (got < want) {
                break; // a file cut short (still being written, or repaired): draw what is there
            }
        }
        if (current >= 0) {
            column(img, current, min, max);
        }
    }

    /** One pixel column of every band: a vertical line from the column's minimum to its maximum. */
    private static void column(BufferedImage img, int x, int[] min, int[] max) {
        for (int c = 0; c < min.length; c++) {
            int top = c * (BAND_HEIGHT + 1);
            int yTop = top + y(max[c]);
            int yBottom = top + y(min[c]);
            for (int y = yTop; y <= yBottom; y++) {
                img.setRGB(x, y, WAVE);
            }
        }
    }

    /** Sample value to a row inside a band: +32767 at the top, -32768 at the bottom. */
    private static int y(int sample) {
        return (int) ((32767L - sample) * (BAND_HEIGHT - 1) / 65535L);
    }

    private static void fill(BufferedImage img, int x, int y, int w, int h, int rgb) {
        for (int i = Math.max(0, x); i < Math.min(img.getWidth(), x + w); i++) {
            for (int j = Math.max(0, y); j < Math.min(img.getHeight(), y + h); j++) {
                img.setRGB(i, j, rgb);
            }
        }
    }

    /** A digit at twice the glyph size (6x10 pixels). */
    private static void glyph(BufferedImage img, char digit, int x, int y) {
        int g = DIGITS.indexOf(digit);
        if (g < 0) {
            return;
        }
        for (int row = 0; row < 5; row++) {
            for (int col = 0; col < 3; col++) {
                if ((GLYPHS[g][row] >> (2 - col) & 1) != 0) {
                    fill(img, x + 2 * col, y + 2 * row, 2, 2, DTMF);
                }
            }
        }
    }
}
