package org.callrec.tapi.internal.jna;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.win32.StdCallLibrary;

/**
 * The tapi32.dll functions the provider calls (wide-character variants). Every function returns a
 * LONG: 0 for success, a negative LINEERR_ value for failure (asynchronous ones a positive request
 * id). Loaded only where tapi32.dll exists: {@link #load()}.
 */
public interface Tapi32 extends StdCallLibrary {

    int lineInitializeExW(IntByReference lphLineApp, Pointer hInstance, Pointer lpfnCallback,
            WString lpszFriendlyAppName, IntByReference lpdwNumDevs, IntByReference lpdwAPIVersion,
            TapiStructs.LINEINITIALIZEEXPARAMS lpLineInitializeExParams);

    int lineNegotiateAPIVersion(int hLineApp, int dwDeviceID, int dwAPILowVersion, int dwAPIHighVersion,
            IntByReference lpdwAPIVersion, Pointer lpExtensionID);

    int lineGetAddressCapsW(int hLineApp, int dwDeviceID, int dwAddressID, int dwAPIVersion, int dwExtVersion,
            Pointer lpAddressCaps);

    int lineOpenW(int hLineApp, int dwDeviceID, IntByReference lphLine, int dwAPIVersion, int dwExtVersion,
            DwordPtr dwCallbackInstance, int dwPrivileges, int dwMediaModes, Pointer lpCallParams);

    int lineGetMessage(int hLineApp, TapiStructs.LINEMESSAGE lpMessage, int dwTimeout);

    int lineGetCallInfoW(int hCall, Pointer lpCallInfo);

    int lineGetCallStatus(int hCall, Pointer lpCallStatus);

    int lineGetNewCalls(int hLine, int dwAddressID, int dwSelect, Pointer lpCallList);

    int lineGetLineDevStatusW(int hLine, Pointer lpLineDevStatus);

    int lineDeallocateCall(int hCall);

    int lineShutdown(int hLineApp);

    /** @return the binding; throws UnsatisfiedLinkError where tapi32.dll does not exist */
    static Tapi32 load() {
        return Native.load("tapi32", Tapi32.class, java.util.Map.of(Library.OPTION_STRING_ENCODING, "UTF-16LE"));
    }
}
