package org.callrec.tapi.internal.jna;

import static org.callrec.tapi.internal.line.TapiConstants.LINEERR_STRUCTURETOOSMALL;

import java.nio.charset.StandardCharsets;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import org.callrec.tapi.internal.line.TapiException;

/**
 * TAPI's variable-size structures: the caller sets dwTotalSize; the provider fills what fits and
 * sets dwNeededSize; while dwNeededSize > dwTotalSize, call again with a buffer that large.
 */
final class VariableSize {

    /** A tapi32 call filling a buffer; returns the LONG result. */
    interface Call {
        int into(Memory buffer);
    }

    private static final int MAX_ATTEMPTS = 5;

    private VariableSize() {
    }

    static Memory fetch(String function, int initialSize, Call call) throws TapiException {
        int size = initialSize;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Memory m = new Memory(size);
            m.clear();
            m.setInt(0, size); // dwTotalSize
            int rc = call.into(m);
            if (rc < 0 && rc != LINEERR_STRUCTURETOOSMALL) {
                throw new TapiException(function, rc);
            }
            int needed = m.getInt(4); // dwNeededSize
            if (rc == 0 && needed <= size) {
                return m;
            }
            size = Math.max(needed, size * 2);
        }
        throw new TapiException(function, LINEERR_STRUCTURETOOSMALL, "dwNeededSize kept growing after "
                + MAX_ATTEMPTS + " attempts");
    }

    /** Reads a UTF-16LE string at (offset, size bytes) inside a structure of total bytes; null if absent. */
    static String string(Pointer p, int total, int size, int offset) {
        if (size <= 0) {
            return null;
        }
        if (offset < 0 || (long) offset + size > total) {
            return null; // the TSP pointed outside the structure: ignore rather than read garbage
        }
        byte[] b = p.getByteArray(offset, size);
        String s = new String(b, StandardCharsets.UTF_16LE);
        int end = s.indexOf('\0');
        return end >= 0 ? s.substring(0, end) : s;
    }
}
