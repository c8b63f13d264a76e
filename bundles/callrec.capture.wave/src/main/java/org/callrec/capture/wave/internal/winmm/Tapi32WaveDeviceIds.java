package org.callrec.capture.wave.internal.winmm;

import static org.callrec.capture.wave.internal.winmm.WaveStructs.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.Memory;
import com.sun.jna.WString;

import org.callrec.capture.wave.internal.routepoint.RoutePointException;

/**
 * lineGetIDW through tapi32.dll (our own one-function binding, see {@link WinmmLibrary.Tapi32}).
 * The answer is a VARSTRING whose string part is the device id as one binary DWORD; it is asked
 * again with a bigger buffer while TAPI says it needs more room.
 */
public final class Tapi32WaveDeviceIds implements WaveDeviceIds {

    private static final String WAVE_IN = "wave/in";
    private static final int MAX_TRIES = 4;

    private final WinmmLibrary.Tapi32 tapi;

    /** @param tapi the tapi32 binding */
    public Tapi32WaveDeviceIds(WinmmLibrary.Tapi32 tapi) {
        this.tapi = tapi;
    }

    @Override
    public int waveIn(TapiRoutePointCalls.PlacedCall call) throws RoutePointException {
        int size = VARSTRING_HEADER + 64;
        for (int i = 0; i < MAX_TRIES; i++) {
            Memory vs = new Memory(size);
            vs.clear();
            vs.setInt(VS_TOTAL_SIZE, size);
            int r = tapi.lineGetIDW(call.hLine(), 0, call.hCall(), LINECALLSELECT_CALL, vs, new WString(WAVE_IN));
            if (r != 0) {
                throw new RoutePointException("lineGetID(hCall " + Integer.toUnsignedString(call.hCall())
                        + ", \"wave/in\") failed: LINEERR 0x" + Integer.toHexString(r));
            }
            ByteBuffer b = vs.getByteBuffer(0, size).order(ByteOrder.LITTLE_ENDIAN);
            int needed = b.getInt(VS_NEEDED_SIZE);
            if (needed > size) {
                size = needed;
                continue;
            }
            return deviceId(b);
        }
        throw new RoutePointException("lineGetID(\"wave/in\") kept asking for a bigger VARSTRING");
    }

    /**
     * Reads the device id out of a filled VARSTRING.
     *
     * @param vs the VARSTRING, little-endian, from offset 0
     * @return the device id
     * @throws RoutePointException if the VARSTRING holds no binary DWORD
     */
    static int deviceId(ByteBuffer vs) throws RoutePointException {
        int format = vs.getInt(VS_STRING_FORMAT);
        int length = vs.getInt(VS_STRING_SIZE);
        int offset = vs.getInt(VS_STRING_OFFSET);
        if (format != STRINGFORMAT_BINARY || length < 4 || offset < VARSTRING_HEADER
                || offset + 4 > vs.getInt(VS_USED_SIZE) || offset + 4 > vs.limit()) {
            throw new RoutePointException("lineGetID(\"wave/in\") gave no wave device: string format " + format
                    + ", size " + length + ", offset " + offset + " (expected a binary DWORD)");
        }
        return vs.getInt(offset);
    }
}
