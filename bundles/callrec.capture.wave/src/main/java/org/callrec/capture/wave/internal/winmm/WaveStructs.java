package org.callrec.capture.wave.internal.winmm;

/**
 * Byte layouts of the winmm and TAPI structures the binding writes by hand (mmeapi.h, mmreg.h,
 * tapi.h), so that the same code is right on x86 and x64 and the layout can be checked on any
 * machine. The binding keeps WAVEHDRs in native memory the driver fills asynchronously; reading
 * fields at fixed offsets avoids JNA's automatic structure syncing racing with the driver.
 */
public final class WaveStructs {

    /** WAVE_FORMAT_PCM. */
    public static final int WAVE_FORMAT_PCM = 1;
    /** sizeof(WAVEFORMATEX): byte-packed, 18 on every architecture (documented). */
    public static final int WAVEFORMATEX_SIZE = 18;
    /** WAVEFORMATEX.wFormatTag (WORD). */
    public static final int WFX_FORMAT_TAG = 0;
    /** WAVEFORMATEX.nChannels (WORD). */
    public static final int WFX_CHANNELS = 2;
    /** WAVEFORMATEX.nSamplesPerSec (DWORD). */
    public static final int WFX_SAMPLES_PER_SEC = 4;
    /** WAVEFORMATEX.nAvgBytesPerSec (DWORD). */
    public static final int WFX_AVG_BYTES_PER_SEC = 8;
    /** WAVEFORMATEX.nBlockAlign (WORD). */
    public static final int WFX_BLOCK_ALIGN = 12;
    /** WAVEFORMATEX.wBitsPerSample (WORD). */
    public static final int WFX_BITS_PER_SAMPLE = 14;
    /** WAVEFORMATEX.cbSize (WORD). */
    public static final int WFX_CB_SIZE = 16;

    /** WHDR_DONE: the device has finished with the buffer. */
    public static final int WHDR_DONE = 0x01;
    /** WHDR_PREPARED. */
    public static final int WHDR_PREPARED = 0x02;
    /** WHDR_INQUEUE. */
    public static final int WHDR_INQUEUE = 0x10;

    /** CALLBACK_EVENT: dwCallback is an event handle. */
    public static final int CALLBACK_EVENT = 0x00050000;
    /** WAVE_MAPPER device id. */
    public static final int WAVE_MAPPER = -1;

    /** sizeof(VARSTRING) header: six DWORDs. */
    public static final int VARSTRING_HEADER = 24;
    /** VARSTRING.dwTotalSize. */
    public static final int VS_TOTAL_SIZE = 0;
    /** VARSTRING.dwNeededSize. */
    public static final int VS_NEEDED_SIZE = 4;
    /** VARSTRING.dwUsedSize. */
    public static final int VS_USED_SIZE = 8;
    /** VARSTRING.dwStringFormat. */
    public static final int VS_STRING_FORMAT = 12;
    /** VARSTRING.dwStringSize. */
    public static final int VS_STRING_SIZE = 16;
    /** VARSTRING.dwStringOffset. */
    public static final int VS_STRING_OFFSET = 20;
    /** STRINGFORMAT_BINARY: a wave device id comes back as one DWORD. */
    public static final int STRINGFORMAT_BINARY = 4;
    /** LINECALLSELECT_CALL: lineGetID selects by hCall. */
    public static final int LINECALLSELECT_CALL = 0x00000004;

    private WaveStructs() {
    }

    /**
     * WAVEHDR for a pointer size: {@code LPSTR lpData; DWORD dwBufferLength; DWORD dwBytesRecorded;
     * DWORD_PTR dwUser; DWORD dwFlags; DWORD dwLoops; struct wavehdr_tag *lpNext; DWORD_PTR reserved;}.
     * Every field falls on its natural alignment, so byte packing and natural packing agree:
     * 32 bytes on x86, 48 on x64.
     *
     * @param pointerSize 4 or 8
     * @param lpData offset of lpData
     * @param dwBufferLength offset of dwBufferLength
     * @param dwBytesRecorded offset of dwBytesRecorded
     * @param dwUser offset of dwUser
     * @param dwFlags offset of dwFlags
     * @param dwLoops offset of dwLoops
     * @param lpNext offset of lpNext
     * @param reserved offset of reserved
     * @param size sizeof(WAVEHDR)
     */
    public record WaveHdr(int pointerSize, int lpData, int dwBufferLength, int dwBytesRecorded, int dwUser,
            int dwFlags, int dwLoops, int lpNext, int reserved, int size) {

        /**
         * @param pointerSize 4 (x86) or 8 (x64)
         * @return the layout
         */
        public static WaveHdr forPointerSize(int pointerSize) {
            if (pointerSize != 4 && pointerSize != 8) {
                throw new IllegalArgumentException("pointer size must be 4 or 8: " + pointerSize);
            }
            int p = pointerSize;
            int off = 0;
            int lpData = off;
            off += p;
            int bufferLength = off;
            off += 4;
            int bytesRecorded = off;
            off += 4;
            off = align(off, p);
            int user = off;
            off += p;
            int flags = off;
            off += 4;
            int loops = off;
            off += 4;
            off = align(off, p);
            int next = off;
            off += p;
            int reserved = off;
            off += p;
            return new WaveHdr(p, lpData, bufferLength, bytesRecorded, user, flags, loops, next, reserved,
                    align(off, p));
        }

        private static int align(int off, int a) {
            return (off + a - 1) / a * a;
        }
    }
}
