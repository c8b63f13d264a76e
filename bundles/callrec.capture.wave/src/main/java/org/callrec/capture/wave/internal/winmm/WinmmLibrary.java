package org.callrec.capture.wave.internal.winmm;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.ptr.PointerByReference;
import com.sun.jna.win32.StdCallLibrary;

/**
 * JNA declarations of the winmm waveIn functions, the kernel32 event functions CALLBACK_EVENT
 * needs, and TAPI's lineGetIDW (declared here, not taken from callrec.tapi: finding the wave device
 * of a call is part of the Wave audio path). Compiles and loads everywhere; the libraries are only
 * loaded where winmm.dll exists.
 */
public final class WinmmLibrary {

    private static volatile Boolean present;

    private WinmmLibrary() {
    }

    /** winmm.dll: MMRESULT is a UINT, handles are pointers, WINAPI calling convention. */
    public interface Winmm extends StdCallLibrary {
        /** @return number of waveIn devices */
        int waveInGetNumDevs();

        /**
         * @param phwi receives the HWAVEIN
         * @param uDeviceID device id or WAVE_MAPPER
         * @param pwfx the WAVEFORMATEX
         * @param dwCallback the event handle (DWORD_PTR)
         * @param dwInstance unused with CALLBACK_EVENT
         * @param fdwOpen CALLBACK_EVENT
         * @return MMRESULT
         */
        int waveInOpen(PointerByReference phwi, int uDeviceID, Pointer pwfx, Pointer dwCallback, Pointer dwInstance,
                int fdwOpen);

        /** @return MMRESULT */
        int waveInPrepareHeader(Pointer hwi, Pointer pwh, int cbwh);

        /** @return MMRESULT */
        int waveInUnprepareHeader(Pointer hwi, Pointer pwh, int cbwh);

        /** @return MMRESULT */
        int waveInAddBuffer(Pointer hwi, Pointer pwh, int cbwh);

        /** @return MMRESULT */
        int waveInStart(Pointer hwi);

        /** @return MMRESULT */
        int waveInReset(Pointer hwi);

        /** @return MMRESULT */
        int waveInClose(Pointer hwi);
    }

    /** kernel32.dll: the auto-reset event winmm signals. */
    public interface Kernel32 extends StdCallLibrary {
        /** @return the event handle, or null */
        Pointer CreateEventW(Pointer lpEventAttributes, boolean bManualReset, boolean bInitialState, WString lpName);

        /** @return WAIT_OBJECT_0 (0), WAIT_TIMEOUT (0x102) or WAIT_FAILED */
        int WaitForSingleObject(Pointer hHandle, int dwMilliseconds);

        /** @return true on success */
        boolean CloseHandle(Pointer hObject);
    }

    /** tapi32.dll: HLINE and HCALL are DWORDs even on x64; tapi.h structures are byte-packed. */
    public interface Tapi32 extends StdCallLibrary {
        /**
         * @param hLine unused with LINECALLSELECT_CALL
         * @param dwAddressID unused with LINECALLSELECT_CALL
         * @param hCall the call
         * @param dwSelect LINECALLSELECT_CALL
         * @param lpDeviceID a VARSTRING with dwTotalSize set
         * @param lpszDeviceClass {@code wave/in}
         * @return 0 or a negative LINEERR_ code
         */
        int lineGetIDW(int hLine, int dwAddressID, int hCall, int dwSelect, Pointer lpDeviceID, WString lpszDeviceClass);
    }

    /** @return true if this is Windows and winmm.dll loads */
    public static boolean present() {
        Boolean p = present;
        if (p == null) {
            p = Platform.isWindows() && loads("winmm");
            present = p;
        }
        return p;
    }

    private static boolean loads(String name) {
        try {
            NativeLibrary.getInstance(name);
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    /** @return the winmm binding; only where {@link #present()} */
    public static Winmm winmm() {
        return Native.load("winmm", Winmm.class);
    }

    /** @return the kernel32 binding; only on Windows */
    public static Kernel32 kernel32() {
        return Native.load("kernel32", Kernel32.class);
    }

    /** @return the tapi32 binding; only on Windows */
    public static Tapi32 tapi32() {
        return Native.load("tapi32", Tapi32.class);
    }
}
