package org.callrec.tapi.internal.jna;

import com.sun.jna.IntegerType;
import com.sun.jna.Native;

/** DWORD_PTR: an unsigned integer as wide as a pointer (8 bytes on x64, 4 on x86). */
public final class DwordPtr extends IntegerType {

    private static final long serialVersionUID = 1L;

    public DwordPtr() {
        this(0);
    }

    public DwordPtr(long value) {
        super(Native.POINTER_SIZE, value, true);
    }
}
