package org.callrec.capture.wave.internal.winmm;

/** MMRESULT codes of mmsystem.h / mmeapi.h that waveIn functions return, with their names. */
public final class MmResult {

    /** Success. */
    public static final int MMSYSERR_NOERROR = 0;
    /** Unspecified error. */
    public static final int MMSYSERR_ERROR = 1;
    /** Device id out of range. */
    public static final int MMSYSERR_BADDEVICEID = 2;
    /** Device already allocated. */
    public static final int MMSYSERR_ALLOCATED = 4;
    /** Invalid handle. */
    public static final int MMSYSERR_INVALHANDLE = 5;
    /** No device driver present (e.g. the device was removed). */
    public static final int MMSYSERR_NODRIVER = 6;
    /** Memory allocation error. */
    public static final int MMSYSERR_NOMEM = 7;
    /** Unsupported wave format. */
    public static final int WAVERR_BADFORMAT = 32;
    /** The buffer is still in the queue. */
    public static final int WAVERR_STILLPLAYING = 33;
    /** The header was not prepared. */
    public static final int WAVERR_UNPREPARED = 34;

    private static final String[] SYSERR = {"MMSYSERR_NOERROR", "MMSYSERR_ERROR", "MMSYSERR_BADDEVICEID",
        "MMSYSERR_NOTENABLED", "MMSYSERR_ALLOCATED", "MMSYSERR_INVALHANDLE", "MMSYSERR_NODRIVER", "MMSYSERR_NOMEM",
        "MMSYSERR_NOTSUPPORTED", "MMSYSERR_BADERRNUM", "MMSYSERR_INVALFLAG", "MMSYSERR_INVALPARAM",
        "MMSYSERR_HANDLEBUSY", "MMSYSERR_INVALIDALIAS", "MMSYSERR_BADDB", "MMSYSERR_KEYNOTFOUND",
        "MMSYSERR_READERROR", "MMSYSERR_WRITEERROR", "MMSYSERR_DELETEERROR", "MMSYSERR_VALNOTFOUND",
        "MMSYSERR_NODRIVERCB"};
    private static final String[] WAVERR = {"WAVERR_BADFORMAT", "WAVERR_STILLPLAYING", "WAVERR_UNPREPARED",
        "WAVERR_SYNC"};

    private MmResult() {
    }

    /**
     * @param result an MMRESULT
     * @return its name and number, e.g. {@code MMSYSERR_ALLOCATED (4)}
     */
    public static String describe(int result) {
        String name;
        if (result >= 0 && result < SYSERR.length) {
            name = SYSERR[result];
        } else if (result >= WAVERR_BADFORMAT && result < WAVERR_BADFORMAT + WAVERR.length) {
            name = WAVERR[result - WAVERR_BADFORMAT];
        } else {
            name = "unknown MMRESULT";
        }
        return name + " (" + result + ")";
    }
}
