package org.callrec.capture.wave.internal.winmm;

import static org.callrec.capture.wave.internal.winmm.WaveStructs.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

import org.callrec.api.audio.AudioFormat;

/**
 * waveIn through winmm.dll: opens the device for 8 kHz 16-bit mono PCM with an auto-reset event
 * as callback, and keeps each WAVEHDR and its data in native memory for the device's lifetime.
 * Used only where {@link WinmmLibrary#present()}.
 */
public final class WinmmWaveInDriver implements WaveInDriver {

    private static final int WAIT_OBJECT_0 = 0;

    private final WinmmLibrary.Winmm winmm;
    private final WinmmLibrary.Kernel32 kernel32;
    private final WaveStructs.WaveHdr hdr;

    /**
     * @param winmm the winmm binding
     * @param kernel32 the kernel32 binding
     */
    public WinmmWaveInDriver(WinmmLibrary.Winmm winmm, WinmmLibrary.Kernel32 kernel32) {
        this.winmm = winmm;
        this.kernel32 = kernel32;
        this.hdr = WaveStructs.WaveHdr.forPointerSize(Native.POINTER_SIZE);
    }

    /** @return a WAVEFORMATEX for 8 kHz, 16-bit, mono PCM, in native memory */
    static Memory pcmFormat() {
        Memory m = new Memory(WAVEFORMATEX_SIZE);
        m.clear();
        int blockAlign = AudioFormat.BITS_PER_SAMPLE / 8;
        m.setShort(WFX_FORMAT_TAG, (short) WAVE_FORMAT_PCM);
        m.setShort(WFX_CHANNELS, (short) 1);
        m.setInt(WFX_SAMPLES_PER_SEC, AudioFormat.SAMPLE_RATE);
        m.setInt(WFX_AVG_BYTES_PER_SEC, AudioFormat.SAMPLE_RATE * blockAlign);
        m.setShort(WFX_BLOCK_ALIGN, (short) blockAlign);
        m.setShort(WFX_BITS_PER_SAMPLE, (short) AudioFormat.BITS_PER_SAMPLE);
        m.setShort(WFX_CB_SIZE, (short) 0);
        return m;
    }

    @Override
    public WaveInDevice open(int deviceId) throws WaveInException {
        Pointer event = kernel32.CreateEventW(null, false, false, null);
        if (event == null) {
            throw new WaveInException("CreateEventW (for CALLBACK_EVENT)", MmResult.MMSYSERR_NOMEM);
        }
        PointerByReference handle = new PointerByReference();
        int r = winmm.waveInOpen(handle, deviceId, pcmFormat(), event, null, CALLBACK_EVENT);
        if (r != MmResult.MMSYSERR_NOERROR) {
            kernel32.CloseHandle(event);
            throw new WaveInException("waveInOpen(device " + deviceId + ", 8 kHz 16-bit mono)", r);
        }
        return new Device(handle.getValue(), event);
    }

    private final class Device implements WaveInDevice {
        private final Pointer hwi;
        private final Pointer event;

        Device(Pointer hwi, Pointer event) {
            this.hwi = hwi;
            this.event = event;
        }

        @Override
        public WaveBuffer prepare(int bytes) throws WaveInException {
            Memory data = new Memory(bytes);
            Memory header = new Memory(hdr.size());
            header.clear();
            header.setPointer(hdr.lpData(), data);
            header.setInt(hdr.dwBufferLength(), bytes);
            check("waveInPrepareHeader", winmm.waveInPrepareHeader(hwi, header, hdr.size()));
            return new NativeBuffer(header, data, bytes);
        }

        @Override
        public void add(WaveBuffer buffer) throws WaveInException {
            Memory header = ((NativeBuffer) buffer).header;
            header.setInt(hdr.dwFlags(), header.getInt(hdr.dwFlags()) & ~WHDR_DONE);
            header.setInt(hdr.dwBytesRecorded(), 0);
            check("waveInAddBuffer", winmm.waveInAddBuffer(hwi, header, hdr.size()));
        }

        @Override
        public void start() throws WaveInException {
            check("waveInStart", winmm.waveInStart(hwi));
        }

        @Override
        public boolean await(int millis) {
            return kernel32.WaitForSingleObject(event, millis) == WAIT_OBJECT_0;
        }

        @Override
        public void reset() throws WaveInException {
            check("waveInReset", winmm.waveInReset(hwi));
        }

        @Override
        public void unprepare(WaveBuffer buffer) throws WaveInException {
            check("waveInUnprepareHeader", winmm.waveInUnprepareHeader(hwi, ((NativeBuffer) buffer).header, hdr.size()));
        }

        @Override
        public void close() throws WaveInException {
            try {
                check("waveInClose", winmm.waveInClose(hwi));
            } finally {
                kernel32.CloseHandle(event);
            }
        }

        private void check(String function, int result) throws WaveInException {
            if (result != MmResult.MMSYSERR_NOERROR) {
                throw new WaveInException(function, result);
            }
        }
    }

    /** The driver writes dwFlags and dwBytesRecorded from its own thread; read them fresh each time. */
    private final class NativeBuffer implements WaveBuffer {
        final Memory header;
        final Memory data;
        final int capacity;

        NativeBuffer(Memory header, Memory data, int capacity) {
            this.header = header;
            this.data = data;
            this.capacity = capacity;
        }

        @Override
        public boolean done() {
            return (header.getInt(hdr.dwFlags()) & WHDR_DONE) != 0;
        }

        @Override
        public int bytesRecorded() {
            return Math.min(capacity, Math.max(0, header.getInt(hdr.dwBytesRecorded())));
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public void read(byte[] dst, int length) {
            data.read(0, dst, 0, length);
        }
    }
}
