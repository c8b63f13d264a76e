package org.callrec.tapi.internal.jna;

import static org.callrec.tapi.internal.line.TapiConstants.*;

import java.util.HashMap;
import java.util.Map;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.ptr.IntByReference;

import org.callrec.tapi.internal.line.TapiApi;
import org.callrec.tapi.internal.line.TapiCallInfo;
import org.callrec.tapi.internal.line.TapiException;
import org.callrec.tapi.internal.line.TapiMessage;

/**
 * {@link TapiApi} on tapi32.dll through JNA. Used only on Windows, where the ShoreTel Remote
 * Server's TSP is installed; {@link #availability()} says why not elsewhere.
 */
public final class Tapi32Api implements TapiApi {

    /** LINECALLPARTYID_ bits: the id string is valid only with ADDRESS or PARTIAL set. */
    static final int LINECALLPARTYID_ADDRESS = 0x00000008;
    static final int LINECALLPARTYID_PARTIAL = 0x00000010;

    /** Fixed sizes the buffers start from, before any dwNeededSize retry. */
    private static final int CALLINFO_INITIAL = 1024;
    private static final int ADDRESSCAPS_INITIAL = 1024;
    private static final int DEVSTATUS_INITIAL = 1024;

    private final Tapi32 tapi;
    private final Map<Integer, Integer> apiVersions = new HashMap<>();
    private volatile int hLineApp;

    private Tapi32Api(Tapi32 tapi) {
        this.tapi = tapi;
    }

    /** @return null when tapi32.dll can be used here, else the reason it cannot */
    public static String availability() {
        if (!System.getProperty("os.name", "").startsWith("Windows")) {
            return "tapi32.dll exists only on Windows (this is " + System.getProperty("os.name") + ")";
        }
        try {
            Tapi32.load();
            return null;
        } catch (UnsatisfiedLinkError e) {
            return "tapi32.dll could not be loaded: " + e.getMessage();
        }
    }

    /** Binds tapi32.dll; call only when {@link #availability()} is null. */
    public static Tapi32Api load() {
        return new Tapi32Api(Tapi32.load());
    }

    @Override
    public int initialize(String appName) throws TapiException {
        IntByReference app = new IntByReference();
        IntByReference devs = new IntByReference();
        IntByReference version = new IntByReference(TAPI_VERSION_HIGH);
        TapiStructs.LINEINITIALIZEEXPARAMS params = new TapiStructs.LINEINITIALIZEEXPARAMS();
        params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT; // messages through lineGetMessage, no window
        check("lineInitializeExW", tapi.lineInitializeExW(app, null, null, new WString(appName), devs, version, params));
        hLineApp = app.getValue();
        apiVersions.clear();
        Memory extensionId = new Memory(16);
        for (int dev = 0; dev < devs.getValue(); dev++) {
            IntByReference v = new IntByReference();
            if (tapi.lineNegotiateAPIVersion(hLineApp, dev, TAPI_VERSION_LOW, TAPI_VERSION_HIGH, v, extensionId) == 0) {
                apiVersions.put(dev, v.getValue());
            }
        }
        return devs.getValue();
    }

    @Override
    public String lineAddress(int deviceId) throws TapiException {
        int version = version(deviceId);
        Memory caps = VariableSize.fetch("lineGetAddressCapsW", ADDRESSCAPS_INITIAL,
                m -> tapi.lineGetAddressCapsW(hLineApp, deviceId, 0, version, 0, m));
        // LINEADDRESSCAPS: dwAddressSize at offset 16, dwAddressOffset at 20
        String address = VariableSize.string(caps, caps.getInt(0), caps.getInt(16), caps.getInt(20));
        if (address == null || address.isBlank()) {
            throw new TapiException("lineGetAddressCapsW", LINEERR_OPERATIONFAILED, "line " + deviceId + " has no address");
        }
        return address.trim();
    }

    @Override
    public int openMonitor(int deviceId) throws TapiException {
        IntByReference hLine = new IntByReference();
        check("lineOpenW", tapi.lineOpenW(hLineApp, deviceId, hLine, version(deviceId), 0, new DwordPtr(deviceId),
                LINECALLPRIVILEGE_MONITOR, LINEMEDIAMODE_INTERACTIVEVOICE, null));
        return hLine.getValue();
    }

    @Override
    public TapiMessage nextMessage(long timeoutMillis) throws TapiException {
        TapiStructs.LINEMESSAGE m = new TapiStructs.LINEMESSAGE();
        int rc = tapi.lineGetMessage(hLineApp, m, (int) Math.min(Integer.MAX_VALUE, timeoutMillis));
        if (rc == LINEERR_OPERATIONFAILED) {
            // lineGetMessage reports an expired timeout this way; a real failure looks the same and
            // is caught by the watchdog (silence plus failing status polls)
            return null;
        }
        check("lineGetMessage", rc);
        return new TapiMessage(m.hDevice, m.dwMessageID, m.dwCallbackInstance.longValue(), m.dwParam1.longValue(),
                m.dwParam2.longValue(), m.dwParam3.longValue());
    }

    @Override
    public TapiCallInfo callInfo(int hCall) throws TapiException {
        Memory m = VariableSize.fetch("lineGetCallInfoW", CALLINFO_INITIAL, b -> tapi.lineGetCallInfoW(hCall, b));
        return decodeCallInfo(m);
    }

    /** Decodes a LINECALLINFO buffer (fixed part and the strings it points to). */
    static TapiCallInfo decodeCallInfo(Pointer p) {
        TapiStructs.LINECALLINFO ci = new TapiStructs.LINECALLINFO(p);
        int total = ci.dwTotalSize;
        return new TapiCallInfo(ci.hLine, ci.dwCallID, ci.dwRelatedCallID, ci.dwOrigin, ci.dwReason,
                party(p, total, ci.dwCallerIDFlags, ci.dwCallerIDSize, ci.dwCallerIDOffset),
                party(p, total, ci.dwCalledIDFlags, ci.dwCalledIDSize, ci.dwCalledIDOffset),
                party(p, total, ci.dwConnectedIDFlags, ci.dwConnectedIDSize, ci.dwConnectedIDOffset),
                party(p, total, ci.dwRedirectionIDFlags, ci.dwRedirectionIDSize, ci.dwRedirectionIDOffset),
                party(p, total, ci.dwRedirectingIDFlags, ci.dwRedirectingIDSize, ci.dwRedirectingIDOffset));
    }

    private static String party(Pointer p, int total, int flags, int size, int offset) {
        if ((flags & (LINECALLPARTYID_ADDRESS | LINECALLPARTYID_PARTIAL)) == 0) {
            return null; // blocked, out of area, unknown or unavailable
        }
        return VariableSize.string(p, total, size, offset);
    }

    @Override
    public int callState(int hCall) throws TapiException {
        int fixed = new TapiStructs.LINECALLSTATUS().size();
        Memory m = VariableSize.fetch("lineGetCallStatus", fixed + 256, b -> tapi.lineGetCallStatus(hCall, b));
        return new TapiStructs.LINECALLSTATUS(m).dwCallState;
    }

    @Override
    public int[] callsOnLine(int hLine) throws TapiException {
        int fixed = new TapiStructs.LINECALLLIST().size();
        Memory m = VariableSize.fetch("lineGetNewCalls", fixed + 64 * 4,
                b -> tapi.lineGetNewCalls(hLine, 0, LINECALLSELECT_LINE, b));
        TapiStructs.LINECALLLIST list = new TapiStructs.LINECALLLIST(m);
        int[] calls = new int[list.dwCallsNumEntries];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = m.getInt(list.dwCallsOffset + 4L * i);
        }
        return calls;
    }

    @Override
    public void pollLine(int hLine) throws TapiException {
        VariableSize.fetch("lineGetLineDevStatusW", DEVSTATUS_INITIAL, b -> tapi.lineGetLineDevStatusW(hLine, b));
    }

    @Override
    public void deallocateCall(int hCall) {
        tapi.lineDeallocateCall(hCall);
    }

    @Override
    public void shutdown() {
        int app = hLineApp;
        hLineApp = 0;
        if (app != 0) {
            tapi.lineShutdown(app);
        }
    }

    private int version(int deviceId) throws TapiException {
        Integer v = apiVersions.get(deviceId);
        if (v == null) {
            throw new TapiException("lineNegotiateAPIVersion", 0x8000000C, "no common API version for line " + deviceId);
        }
        return v;
    }

    private static void check(String fn, int rc) throws TapiException {
        if (rc < 0) {
            throw new TapiException(fn, rc);
        }
    }

}
