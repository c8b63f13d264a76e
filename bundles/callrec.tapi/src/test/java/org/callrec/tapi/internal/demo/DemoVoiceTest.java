package org.callrec.tapi.internal.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

class DemoVoiceTest {

    private static byte[] wav(int rate, short[] samples) {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + 2 * samples.length).putInt(0x45564157);
        b.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
                .putShort((short) 2).putShort((short) 16);
        b.putInt(0x61746164).putInt(2 * samples.length);
        for (short s : samples) {
            b.putShort(s);
        }
        return b.array();
    }

    @Test
    void resamplesToEightKilohertzByAveraging() {
        short[] in = new short[16000];
        for (int i = 0; i < in.length; i++) {
            in[i] = (short) (i % 2 == 0 ? 100 : 300);
        }
        short[] out = DemoVoice.to8k(wav(16000, in));
        assertEquals(8000, out.length);
        assertEquals(200, out[0]);
        assertEquals(200, out[7999]);
        assertArrayEquals(new short[] {1, 2, 3}, DemoVoice.resample(new short[] {1, 2, 3}, 8000));
        assertThrows(IllegalArgumentException.class, () -> DemoVoice.to8k(new byte[] {1, 2, 3}));
    }

    @Test
    void espeakSpeaksAtEightKilohertzWhenInstalled() {
        // run-tests installs espeak-ng; this fails loudly without it instead of skipping
        short[] s = DemoVoice.speak("one two three").orElseThrow(() -> new AssertionError("espeak-ng not usable"));
        assertTrue(s.length > 4000 && s.length < 40000, "about a second of speech at 8 kHz: " + s.length);
        long energy = 0;
        for (short x : s) {
            energy += (long) x * x;
        }
        assertTrue(energy / s.length > 10_000, "speech, not silence");
    }
}
