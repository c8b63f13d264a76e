package org.callrec.capture.mirror.internal.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The correlator's phone index against a HashMap, through growth and removals inside probe clusters. */
class PhoneIndexTest {

    @Test
    void behavesLikeAMapUnderRandomPutsAndRemoves() {
        Random random = new Random(6);
        PhoneIndex<String> index = new PhoneIndex<>();
        Map<Long, String> expected = new HashMap<>();
        // few distinct keys, many operations: clusters form, removals must keep every key findable
        long[] universe = new long[3000];
        for (int i = 0; i < universe.length; i++) {
            universe[i] = RtpCorrelator.fingerprint(new byte[] {10, 1, (byte) (i / 250), (byte) (i % 250 + 1)}, 0, 4);
        }
        for (int op = 0; op < 200_000; op++) {
            long key = universe[random.nextInt(op < 100_000 ? universe.length : 200)];
            if (random.nextInt(3) == 0) {
                index.remove(key);
                expected.remove(key);
            } else {
                String v = "v" + op;
                index.put(key, v);
                expected.put(key, v);
            }
            if (op % 5000 == 0 || op > 199_000) {
                for (long k : universe) {
                    assertEquals(expected.get(k), index.get(k), "key " + k + " after operation " + op);
                }
                assertEquals(expected.size(), index.size());
            }
        }
    }

    @Test
    void absentKeysAndNullValues() {
        PhoneIndex<String> index = new PhoneIndex<>();
        assertNull(index.get(42));
        index.remove(42); // nothing to remove is not an error
        index.put(0, "zero"); // 0 is an ordinary key
        assertEquals("zero", index.get(0));
        assertThrows(IllegalArgumentException.class, () -> index.put(1, null));
    }
}
