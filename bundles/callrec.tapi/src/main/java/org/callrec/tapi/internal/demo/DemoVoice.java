package org.callrec.tapi.internal.demo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A sentence spoken by espeak-ng (when it is installed), as 8 kHz samples for the demo phones.
 * espeak-ng writes 22.05 kHz WAV; it is brought down to 8 kHz by averaging the source samples
 * each output sample covers (a box filter: plenty for a demo, not for measurements).
 */
final class DemoVoice {

    private DemoVoice() {
    }

    static Optional<short[]> speak(String sentence) {
        try {
            Process p = new ProcessBuilder("espeak-ng", "--stdout", "-s", "150", sentence).redirectErrorStream(false).start();
            byte[] wav = p.getInputStream().readAllBytes();
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Optional.empty();
            }
            return Optional.of(to8k(wav));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // not installed or unusable: the demo plays a tone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Reads a 16-bit mono PCM WAV (its fmt and data chunks) and resamples it to 8 kHz. */
    static short[] to8k(byte[] wav) {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        if (wav.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IllegalArgumentException("not a RIFF/WAVE stream");
        }
        int rate = 0;
        int pos = 12;
        while (pos + 8 <= wav.length) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            if (id == 0x20746d66) { // "fmt "
                rate = b.getInt(pos + 12);
            } else if (id == 0x61746164) { // "data"
                int n = Math.min(size < 0 ? Integer.MAX_VALUE : size, wav.length - pos - 8) / 2;
                short[] in = new short[n];
                for (int i = 0; i < n; i++) {
                    in[i] = b.getShort(pos + 8 + 2 * i);
                }
                return resample(in, rate);
            }
            pos += 8 + size + (size & 1);
        }
        throw new IllegalArgumentException("no data chunk");
    }

    static short[] resample(short[] in, int rate) {
        if (rate <= 0) {
            throw new IllegalArgumentException("no sample rate");
        }
        int n = (int) ((long) in.length * 8000 / rate);
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            int from = (int) ((long) i * rate / 8000);
            int to = Math.max(from + 1, (int) ((long) (i + 1) * rate / 8000));
            long sum = 0;
            for (int j = from; j < to && j < in.length; j++) {
                sum += in[j];
            }
            out[i] = (short) (sum / (to - from));
        }
        return out;
    }
}
