package org.callrec.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares a recorded channel with the audio that was sent: finds the offset by cross-correlation
 * (computed with an FFT, so whole calls compare in milliseconds), then measures the SNR over the
 * overlap, with the source as signal and the difference as noise. No gain is fitted: a recorder
 * that changes the level is measured as noisy.
 */
final class AudioMatch {

    /**
     * @param offset samples the source starts later in the recording (negative: earlier)
     * @param overlap samples compared
     * @param snrDb 10 log10(source energy / difference energy) over the overlap
     */
    record Result(int offset, int overlap, double snrDb) {
    }

    private AudioMatch() {
    }

    /**
     * @param recorded the recorded channel
     * @param source the audio that was sent
     * @return the best alignment and the SNR there
     */
    static Result compare(short[] recorded, short[] source) {
        int n = Integer.highestOneBit(Math.max(1, recorded.length + source.length - 1) - 1) << 1;
        double[] ar = new double[n];
        double[] ai = new double[n];
        double[] br = new double[n];
        double[] bi = new double[n];
        for (int i = 0; i < recorded.length; i++) {
            ar[i] = recorded[i];
        }
        for (int i = 0; i < source.length; i++) {
            br[i] = source[i];
        }
        fft(ar, ai, false);
        fft(br, bi, false);
        // R(k) = sum_t rec[t + k] * src[t]  <=>  IFFT(REC * conj(SRC))
        for (int i = 0; i < n; i++) {
            double re = ar[i] * br[i] + ai[i] * bi[i];
            double im = ai[i] * br[i] - ar[i] * bi[i];
            ar[i] = re;
            ai[i] = im;
        }
        fft(ar, ai, true);
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (ar[i] > bestValue) {
                bestValue = ar[i];
                best = i;
            }
        }
        int offset = best <= n / 2 ? best : best - n;
        return snrAt(recorded, source, offset);
    }

    /** SNR with the source placed at {@code offset} in the recording. */
    static Result snrAt(short[] recorded, short[] source, int offset) {
        double signal = 0;
        double noise = 0;
        int overlap = 0;
        for (int t = Math.max(0, -offset); t < source.length && t + offset < recorded.length; t++) {
            double s = source[t];
            double d = recorded[t + offset] - s;
            signal += s * s;
            noise += d * d;
            overlap++;
        }
        double snr = noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
        return new Result(offset, overlap, snr);
    }

    /** In-place iterative radix-2 FFT; {@code inverse} also divides by n. */
    private static void fft(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double angle = 2 * Math.PI / len * (inverse ? 1 : -1);
            double wr = Math.cos(angle);
            double wi = Math.sin(angle);
            for (int i = 0; i < n; i += len) {
                double cr = 1;
                double ci = 0;
                for (int k = 0; k < len / 2; k++) {
                    int a = i + k;
                    int b = a + len / 2;
                    double xr = re[b] * cr - im[b] * ci;
                    double xi = re[b] * ci + im[b] * cr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                    double ncr = cr * wr - ci * wi;
                    ci = cr * wi + ci * wr;
                    cr = ncr;
                }
            }
        }
        if (inverse) {
            for (int i = 0; i < n; i++) {
                re[i] /= n;
                im[i] /= n;
            }
        }
    }

    /** A PCM 16-bit WAV file: channels de-interleaved. */
    record Wav(int channels, int sampleRate, short[][] samples) {
    }

    static Wav readWav(Path file) throws IOException {
        return readWav(Files.readAllBytes(file));
    }

    static Wav readWav(InputStream in) throws IOException {
        return readWav(in.readAllBytes());
    }

    /** Walks the RIFF chunks (RIFF/WAVE, fmt, data), so extra chunks are skipped, not misread. */
    static Wav readWav(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IOException("not a RIFF/WAVE file");
        }
        int channels = 0;
        int rate = 0;
        int pos = 12;
        while (pos + 8 <= bytes.length) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            if (id == 0x20746d66) { // "fmt "
                if (b.getShort(pos + 8) != 1 || b.getShort(pos + 22) != 16) {
                    throw new IOException("not 16-bit PCM");
                }
                channels = b.getShort(pos + 10);
                rate = b.getInt(pos + 12);
            } else if (id == 0x61746164) { // "data"
                if (channels == 0) {
                    throw new IOException("data before fmt");
                }
                int frames = Math.min(size, bytes.length - pos - 8) / (2 * channels);
                short[][] s = new short[channels][frames];
                for (int f = 0; f < frames; f++) {
                    for (int c = 0; c < channels; c++) {
                        s[c][f] = b.getShort(pos + 8 + 2 * (f * channels + c));
                    }
                }
                return new Wav(channels, rate, s);
            }
            pos += 8 + size + (size & 1);
        }
        throw new IOException("no data chunk");
    }
}
