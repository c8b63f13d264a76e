package org.callrec.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RecordingPathsTest {

    private final RecordingPaths paths = new RecordingPaths(Path.of("/srv/callrec/data/recordings"));

    @Test
    void idLeadsToDatedFolder() {
        String id = RecordingPaths.newId(Instant.parse("2026-11-26T23:59:59Z"));
        assertTrue(RecordingPaths.isValidId(id), id);
        assertEquals(Path.of("/srv/callrec/data/recordings/2026/11/26/" + id + ".wav"), paths.wav(id));
    }

    @Test
    void idsAreUnique() {
        Instant now = Instant.now();
        assertFalse(RecordingPaths.newId(now).equals(RecordingPaths.newId(now)));
    }

    @Test
    void callerTextNeverBecomesAPath() {
        for (String bad : new String[] {"../../etc/passwd", "20261126-<script>", "", null,
                "20261126-0123456789abcdef0123456789abcde/", "20261126-0123456789ABCDEF0123456789ABCDEF"}) {
            assertThrows(IllegalArgumentException.class, () -> paths.wav(bad), String.valueOf(bad));
        }
    }
}
