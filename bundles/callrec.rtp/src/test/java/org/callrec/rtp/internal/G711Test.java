package org.callrec.rtp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class G711Test {

    @Test
    void ulawReferencePoints() {
        // Values from the G.711 tables: 0xFF and 0x7F are the two zeros, 0x00/0x80 the extremes.
        assertEquals(0, G711.ULAW[0xFF]);
        assertEquals(0, G711.ULAW[0x7F]);
        assertEquals(-32124, G711.ULAW[0x00]);
        assertEquals(32124, G711.ULAW[0x80]);
        assertEquals(-8, G711.ULAW[0x7E]);
        assertEquals(8, G711.ULAW[0xFE]);
    }

    @Test
    void alawReferencePoints() {
        assertEquals(8, G711.ALAW[0xD5]);
        assertEquals(-8, G711.ALAW[0x55]);
        assertEquals(32256, G711.ALAW[0xAA]);
        assertEquals(-32256, G711.ALAW[0x2A]);
    }

    @Test
    void tablesAreSymmetricAndDistinct() {
        Set<Short> ulaw = new HashSet<>();
        Set<Short> alaw = new HashSet<>();
        for (int i = 0; i < 128; i++) {
            assertEquals(-G711.ULAW[i | 0x80], G711.ULAW[i], "ulaw sign symmetry at " + i);
            assertEquals(-G711.ALAW[i], G711.ALAW[i | 0x80], "alaw sign symmetry at " + i);
        }
        for (int i = 0; i < 256; i++) {
            ulaw.add(G711.ULAW[i]);
            alaw.add(G711.ALAW[i]);
        }
        assertEquals(255, ulaw.size(), "mu-law has two codes for zero");
        assertEquals(256, alaw.size());
    }

    @Test
    void decoderDecodesAndRejectsBadBounds() {
        G711Decoder d = new G711Decoder("PCMU", G711.ULAW);
        short[] out = new short[4];
        assertEquals(2, d.decode(new byte[] {9, (byte) 0xFF, 0x00, 9}, 1, 2, out, 1));
        assertArrayEquals(new short[] {0, 0, -32124, 0}, out);
        assertThrows(IllegalArgumentException.class, () -> d.decode(new byte[3], 2, 5, out, 0));
    }
}
