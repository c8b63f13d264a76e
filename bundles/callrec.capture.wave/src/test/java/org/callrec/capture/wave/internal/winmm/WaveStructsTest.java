package org.callrec.capture.wave.internal.winmm;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

import org.callrec.capture.wave.internal.routepoint.RoutePointException;
import org.junit.jupiter.api.Test;

/** The hand-written layouts against the documented sizes and against JNA's own layout of the C declarations. */
class WaveStructsTest {

    @Test
    void waveHdrIs48BytesOnX64And32OnX86() {
        WaveStructs.WaveHdr x64 = WaveStructs.WaveHdr.forPointerSize(8);
        assertEquals(new WaveStructs.WaveHdr(8, 0, 8, 12, 16, 24, 28, 32, 40, 48), x64);
        WaveStructs.WaveHdr x86 = WaveStructs.WaveHdr.forPointerSize(4);
        assertEquals(new WaveStructs.WaveHdr(4, 0, 4, 8, 12, 16, 20, 24, 28, 32), x86);
        assertThrows(IllegalArgumentException.class, () -> WaveStructs.WaveHdr.forPointerSize(2));
    }

    /** mmeapi.h's WAVEHDR as JNA lays it out on this machine. */
    @Structure.FieldOrder({"lpData", "dwBufferLength", "dwBytesRecorded", "dwUser", "dwFlags", "dwLoops", "lpNext",
        "reserved"})
    public static class WAVEHDR extends Structure {
        public Pointer lpData;
        public int dwBufferLength;
        public int dwBytesRecorded;
        public Pointer dwUser;
        public int dwFlags;
        public int dwLoops;
        public Pointer lpNext;
        public Pointer reserved;

        int offset(String field) {
            return fieldOffset(field);
        }
    }

    /** mmreg.h's WAVEFORMATEX, byte-packed. */
    @Structure.FieldOrder({"wFormatTag", "nChannels", "nSamplesPerSec", "nAvgBytesPerSec", "nBlockAlign",
        "wBitsPerSample", "cbSize"})
    public static class WAVEFORMATEX extends Structure {
        public short wFormatTag;
        public short nChannels;
        public int nSamplesPerSec;
        public int nAvgBytesPerSec;
        public short nBlockAlign;
        public short wBitsPerSample;
        public short cbSize;

        WAVEFORMATEX(int alignment) {
            super(alignment);
        }

        WAVEFORMATEX(Pointer p) {
            super(p, ALIGN_NONE);
            read();
        }

        int offset(String field) {
            return fieldOffset(field);
        }
    }

    @Test
    void theHandLayoutOfWaveHdrMatchesJnasOnThisMachine() {
        WAVEHDR s = new WAVEHDR();
        WaveStructs.WaveHdr h = WaveStructs.WaveHdr.forPointerSize(Native.POINTER_SIZE);
        assertEquals(s.size(), h.size());
        assertEquals(List.of(s.offset("lpData"), s.offset("dwBufferLength"), s.offset("dwBytesRecorded"),
                s.offset("dwUser"), s.offset("dwFlags"), s.offset("dwLoops"), s.offset("lpNext"), s.offset("reserved")),
                List.of(h.lpData(), h.dwBufferLength(), h.dwBytesRecorded(), h.dwUser(), h.dwFlags(), h.dwLoops(),
                        h.lpNext(), h.reserved()));
    }

    @Test
    void waveFormatExIs18BytesPackedAndHolds8kHz16BitMono() {
        WAVEFORMATEX packed = new WAVEFORMATEX(Structure.ALIGN_NONE);
        assertEquals(18, packed.size());
        assertEquals(WaveStructs.WAVEFORMATEX_SIZE, packed.size());
        assertEquals(WaveStructs.WFX_BLOCK_ALIGN, packed.offset("nBlockAlign"));
        assertEquals(WaveStructs.WFX_CB_SIZE, packed.offset("cbSize"));
        assertNotEquals(18, new WAVEFORMATEX(Structure.ALIGN_DEFAULT).size(),
                "natural alignment would pad it: the byte packing matters");

        Memory m = WinmmWaveInDriver.pcmFormat();
        WAVEFORMATEX f = new WAVEFORMATEX(m);
        assertEquals(WaveStructs.WAVE_FORMAT_PCM, f.wFormatTag);
        assertEquals(1, f.nChannels);
        assertEquals(8000, f.nSamplesPerSec);
        assertEquals(16000, f.nAvgBytesPerSec);
        assertEquals(2, f.nBlockAlign);
        assertEquals(16, f.wBitsPerSample);
        assertEquals(0, f.cbSize);
    }

    @Test
    void theWaveDeviceIdIsReadFromTheVarstring() throws Exception {
        ByteBuffer vs = ByteBuffer.allocate(WaveStructs.VARSTRING_HEADER + 8).order(ByteOrder.LITTLE_ENDIAN);
        vs.putInt(WaveStructs.VS_TOTAL_SIZE, 32).putInt(WaveStructs.VS_NEEDED_SIZE, 28)
                .putInt(WaveStructs.VS_USED_SIZE, 28).putInt(WaveStructs.VS_STRING_FORMAT, WaveStructs.STRINGFORMAT_BINARY)
                .putInt(WaveStructs.VS_STRING_SIZE, 4).putInt(WaveStructs.VS_STRING_OFFSET, 24).putInt(24, 7);
        assertEquals(7, Tapi32WaveDeviceIds.deviceId(vs));

        vs.putInt(WaveStructs.VS_STRING_FORMAT, 1); // STRINGFORMAT_ASCII: not a device id
        RoutePointException e = assertThrows(RoutePointException.class, () -> Tapi32WaveDeviceIds.deviceId(vs));
        assertTrue(e.getMessage().contains("string format 1"), e.getMessage());
        vs.putInt(WaveStructs.VS_STRING_FORMAT, WaveStructs.STRINGFORMAT_BINARY).putInt(WaveStructs.VS_USED_SIZE, 24);
        assertThrows(RoutePointException.class, () -> Tapi32WaveDeviceIds.deviceId(vs), "id beyond the used size");
    }

    @Test
    void theBindingLoadsOnlyWhereWinmmExists() {
        assertEquals(com.sun.jna.Platform.isWindows(), WinmmLibrary.present());
    }
}
