package org.callrec.tapi.internal.line;

/**
 * The part of tapi32 this provider uses, as a small interface: the JNA binding implements it on
 * Windows, the scripted PBX everywhere. Everything above it (pump, state machine, reconnect,
 * watchdog) is plain Java and never knows which one runs.
 */
public interface TapiApi {

    /**
     * lineInitializeExW with the event-handle option, then lineNegotiateAPIVersion per device.
     *
     * @param appName the application name the TSP shows
     * @return the number of line devices
     */
    int initialize(String appName) throws TapiException;

    /** @return the line's address (the user's extension), from LINEADDRESSCAPS of address 0 */
    String lineAddress(int deviceId) throws TapiException;

    /** lineOpenW with LINECALLPRIVILEGE_MONITOR; the callback instance is the device id. @return hLine */
    int openMonitor(int deviceId) throws TapiException;

    /** lineGetMessage. @return the next message, or null when none came within the timeout */
    TapiMessage nextMessage(long timeoutMillis) throws TapiException;

    /** lineGetCallInfoW, retried with a larger buffer while dwNeededSize > dwTotalSize. */
    TapiCallInfo callInfo(int hCall) throws TapiException;

    /** lineGetCallStatus. @return the LINECALLSTATE_ value */
    int callState(int hCall) throws TapiException;

    /** lineGetNewCalls(hLine, 0, LINECALLSELECT_LINE): the calls already on a line (after re-initialising). */
    int[] callsOnLine(int hLine) throws TapiException;

    /** lineGetLineDevStatusW: the watchdog's status poll; throws when the TSP does not answer. */
    void pollLine(int hLine) throws TapiException;

    /** lineDeallocateCall, once a call is idle. */
    void deallocateCall(int hCall);

    /** lineShutdown (closes every line). Never throws. */
    void shutdown();
}
