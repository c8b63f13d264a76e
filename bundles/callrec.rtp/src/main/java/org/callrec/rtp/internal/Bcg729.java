package org.callrec.rtp.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * Direct JNA mapping of Debian's bcg729 decoder (libbcg729.so.0; bcg729.dll on Windows). bcg729 is
 * GPL: it is loaded from the OS at run time and never shipped. Binding is attempted explicitly (not
 * in a static initialiser) so that a missing library can be retried once it is installed.
 */
final class Bcg729 {

    /** Default library name: the versioned soname, so the -dev package is not needed. */
    static final String DEFAULT_LIBRARY = Platform.isWindows() ? "bcg729" : "libbcg729.so.0";

    private static volatile String boundLibrary;

    private Bcg729() {
    }

    /**
     * Binds the native methods if not done yet.
     *
     * @param library library name or path
     * @return null if bound, else why not (for an administrator)
     */
    static synchronized String bind(String library) {
        if (boundLibrary != null) {
            return null;
        }
        try {
            NativeLibrary lib = NativeLibrary.getInstance(library, Bcg729.class.getClassLoader());
            Native.register(Bcg729.class, lib);
            boundLibrary = library;
            return null;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            int eol = message.indexOf('\n');
            // JNA appends every path it tried; the first line says what is wrong
            return library + " could not be loaded: " + (eol > 0 ? message.substring(0, eol) : message);
        }
    }

    static boolean bound() {
        return boundLibrary != null;
    }

    static native Pointer initBcg729DecoderChannel();

    static native void closeBcg729DecoderChannel(Pointer context);

    /** uint8_t arguments map to byte; a null bit stream is allowed for erased/DTX frames. */
    static native void bcg729Decoder(Pointer context, byte[] bitStream, byte bitStreamLength, byte frameErasureFlag,
            byte sidFrameFlag, byte rfc3389PayloadFlag, short[] signal);
}
