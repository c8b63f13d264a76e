package org.callrec.tapi.internal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DemoTrafficTest {

    /** μ-law reference points of G.711: silence, the extremes, and the sign bit. */
    @Test
    void ulawEncodesTheG711ReferencePoints() {
        assertEquals((byte) 0xFF, DemoTraffic.ulaw(0));
        assertEquals((byte) 0x80, DemoTraffic.ulaw(32767));
        assertEquals((byte) 0x00, DemoTraffic.ulaw(-32768));
        assertEquals((byte) 0xFE, DemoTraffic.ulaw(8));
        assertEquals((byte) 0x7E, DemoTraffic.ulaw(-8));
    }
}
