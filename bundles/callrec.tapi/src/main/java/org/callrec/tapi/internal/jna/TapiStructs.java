package org.callrec.tapi.internal.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * The tapi.h structures the binding passes, field for field as Microsoft documents them. tapi.h is
 * compiled with 1-byte packing, so every structure uses {@link Structure#ALIGN_NONE}; handles
 * (HLINEAPP, HLINE, HCALL) are DWORDs, 32 bits even on x64.
 */
public final class TapiStructs {

    private TapiStructs() {
    }

    /** LINEMESSAGE: what lineGetMessage fills in. x64: 40 bytes. */
    @FieldOrder({"hDevice", "dwMessageID", "dwCallbackInstance", "dwParam1", "dwParam2", "dwParam3"})
    public static class LINEMESSAGE extends Structure {
        public int hDevice;
        public int dwMessageID;
        public DwordPtr dwCallbackInstance = new DwordPtr();
        public DwordPtr dwParam1 = new DwordPtr();
        public DwordPtr dwParam2 = new DwordPtr();
        public DwordPtr dwParam3 = new DwordPtr();

        public LINEMESSAGE() {
            super(ALIGN_NONE);
        }
    }

    /** LINEINITIALIZEEXPARAMS: the notification mechanism for lineInitializeExW. x64: 28 bytes. */
    @FieldOrder({"dwTotalSize", "dwNeededSize", "dwUsedSize", "dwOptions", "hEvent", "dwCompletionKey"})
    public static class LINEINITIALIZEEXPARAMS extends Structure {
        public int dwTotalSize;
        public int dwNeededSize;
        public int dwUsedSize;
        public int dwOptions;
        /** The union Handles {hEvent, hCompletionPort}: one HANDLE. */
        public Pointer hEvent;
        public int dwCompletionKey;

        public LINEINITIALIZEEXPARAMS() {
            super(ALIGN_NONE);
            dwTotalSize = size();
        }
    }

    /** LINEDIALPARAMS, embedded in LINECALLINFO. 16 bytes. */
    @FieldOrder({"dwDialPause", "dwDialSpeed", "dwDigitDuration", "dwWaitForDialtone"})
    public static class LINEDIALPARAMS extends Structure {
        public int dwDialPause;
        public int dwDialSpeed;
        public int dwDigitDuration;
        public int dwWaitForDialtone;

        public LINEDIALPARAMS() {
            super(ALIGN_NONE);
        }
    }

    /** LINECALLINFO, fixed part (TAPI 3.0 fields included): 344 bytes; strings follow it. */
    @FieldOrder({"dwTotalSize", "dwNeededSize", "dwUsedSize", "hLine", "dwLineDeviceID", "dwAddressID",
        "dwBearerMode", "dwRate", "dwMediaMode", "dwAppSpecific", "dwCallID", "dwRelatedCallID", "dwCallParamFlags",
        "dwCallStates", "dwMonitorDigitModes", "dwMonitorMediaModes", "DialParams", "dwOrigin", "dwReason",
        "dwCompletionID", "dwNumOwners", "dwNumMonitors", "dwCountryCode", "dwTrunk", "dwCallerIDFlags",
        "dwCallerIDSize", "dwCallerIDOffset", "dwCallerIDNameSize", "dwCallerIDNameOffset", "dwCalledIDFlags",
        "dwCalledIDSize", "dwCalledIDOffset", "dwCalledIDNameSize", "dwCalledIDNameOffset", "dwConnectedIDFlags",
        "dwConnectedIDSize", "dwConnectedIDOffset", "dwConnectedIDNameSize", "dwConnectedIDNameOffset",
        "dwRedirectionIDFlags", "dwRedirectionIDSize", "dwRedirectionIDOffset", "dwRedirectionIDNameSize",
        "dwRedirectionIDNameOffset", "dwRedirectingIDFlags", "dwRedirectingIDSize", "dwRedirectingIDOffset",
        "dwRedirectingIDNameSize", "dwRedirectingIDNameOffset", "dwAppNameSize", "dwAppNameOffset",
        "dwDisplayableAddressSize", "dwDisplayableAddressOffset", "dwCalledPartySize", "dwCalledPartyOffset",
        "dwCommentSize", "dwCommentOffset", "dwDisplaySize", "dwDisplayOffset", "dwUserUserInfoSize",
        "dwUserUserInfoOffset", "dwHighLevelCompSize", "dwHighLevelCompOffset", "dwLowLevelCompSize",
        "dwLowLevelCompOffset", "dwChargingInfoSize", "dwChargingInfoOffset", "dwTerminalModesSize",
        "dwTerminalModesOffset", "dwDevSpecificSize", "dwDevSpecificOffset", "dwCallTreatment", "dwCallDataSize",
        "dwCallDataOffset", "dwSendingFlowspecSize", "dwSendingFlowspecOffset", "dwReceivingFlowspecSize",
        "dwReceivingFlowspecOffset", "dwCallerIDAddressType", "dwCalledIDAddressType", "dwConnectedIDAddressType",
        "dwRedirectionIDAddressType", "dwRedirectingIDAddressType"})
    public static class LINECALLINFO extends Structure {
        public int dwTotalSize;
        public int dwNeededSize;
        public int dwUsedSize;
        public int hLine;
        public int dwLineDeviceID;
        public int dwAddressID;
        public int dwBearerMode;
        public int dwRate;
        public int dwMediaMode;
        public int dwAppSpecific;
        public int dwCallID;
        public int dwRelatedCallID;
        public int dwCallParamFlags;
        public int dwCallStates;
        public int dwMonitorDigitModes;
        public int dwMonitorMediaModes;
        public LINEDIALPARAMS DialParams = new LINEDIALPARAMS();
        public int dwOrigin;
        public int dwReason;
        public int dwCompletionID;
        public int dwNumOwners;
        public int dwNumMonitors;
        public int dwCountryCode;
        public int dwTrunk;
        public int dwCallerIDFlags;
        public int dwCallerIDSize;
        public int dwCallerIDOffset;
        public int dwCallerIDNameSize;
        public int dwCallerIDNameOffset;
        public int dwCalledIDFlags;
        public int dwCalledIDSize;
        public int dwCalledIDOffset;
        public int dwCalledIDNameSize;
        public int dwCalledIDNameOffset;
        public int dwConnectedIDFlags;
        public int dwConnectedIDSize;
        public int dwConnectedIDOffset;
        public int dwConnectedIDNameSize;
        public int dwConnectedIDNameOffset;
        public int dwRedirectionIDFlags;
        public int dwRedirectionIDSize;
        public int dwRedirectionIDOffset;
        public int dwRedirectionIDNameSize;
        public int dwRedirectionIDNameOffset;
        public int dwRedirectingIDFlags;
        public int dwRedirectingIDSize;
        public int dwRedirectingIDOffset;
        public int dwRedirectingIDNameSize;
        public int dwRedirectingIDNameOffset;
        public int dwAppNameSize;
        public int dwAppNameOffset;
        public int dwDisplayableAddressSize;
        public int dwDisplayableAddressOffset;
        public int dwCalledPartySize;
        public int dwCalledPartyOffset;
        public int dwCommentSize;
        public int dwCommentOffset;
        public int dwDisplaySize;
        public int dwDisplayOffset;
        public int dwUserUserInfoSize;
        public int dwUserUserInfoOffset;
        public int dwHighLevelCompSize;
        public int dwHighLevelCompOffset;
        public int dwLowLevelCompSize;
        public int dwLowLevelCompOffset;
        public int dwChargingInfoSize;
        public int dwChargingInfoOffset;
        public int dwTerminalModesSize;
        public int dwTerminalModesOffset;
        public int dwDevSpecificSize;
        public int dwDevSpecificOffset;
        public int dwCallTreatment;
        public int dwCallDataSize;
        public int dwCallDataOffset;
        public int dwSendingFlowspecSize;
        public int dwSendingFlowspecOffset;
        public int dwReceivingFlowspecSize;
        public int dwReceivingFlowspecOffset;
        public int dwCallerIDAddressType;
        public int dwCalledIDAddressType;
        public int dwConnectedIDAddressType;
        public int dwRedirectionIDAddressType;
        public int dwRedirectingIDAddressType;

        public LINECALLINFO() {
            super(ALIGN_NONE);
        }

        /** Reads the fixed part from a buffer lineGetCallInfoW filled. */
        public LINECALLINFO(Pointer p) {
            super(p, ALIGN_NONE);
            read();
        }
    }

    /** LINECALLSTATUS, fixed part: 56 bytes. */
    @FieldOrder({"dwTotalSize", "dwNeededSize", "dwUsedSize", "dwCallState", "dwCallStateMode", "dwCallPrivilege",
        "dwCallFeatures", "dwDevSpecificSize", "dwDevSpecificOffset", "dwCallFeatures2", "tStateEntryTime"})
    public static class LINECALLSTATUS extends Structure {
        public int dwTotalSize;
        public int dwNeededSize;
        public int dwUsedSize;
        public int dwCallState;
        public int dwCallStateMode;
        public int dwCallPrivilege;
        public int dwCallFeatures;
        public int dwDevSpecificSize;
        public int dwDevSpecificOffset;
        public int dwCallFeatures2;
        /** SYSTEMTIME as WORD[8]. */
        public short[] tStateEntryTime = new short[8];

        public LINECALLSTATUS() {
            super(ALIGN_NONE);
        }

        public LINECALLSTATUS(Pointer p) {
            super(p, ALIGN_NONE);
            read();
        }
    }

    /** LINECALLLIST, fixed part: 24 bytes; an array of HCALL (DWORD) follows. */
    @FieldOrder({"dwTotalSize", "dwNeededSize", "dwUsedSize", "dwCallsNumEntries", "dwCallsSize", "dwCallsOffset"})
    public static class LINECALLLIST extends Structure {
        public int dwTotalSize;
        public int dwNeededSize;
        public int dwUsedSize;
        public int dwCallsNumEntries;
        public int dwCallsSize;
        public int dwCallsOffset;

        public LINECALLLIST() {
            super(ALIGN_NONE);
        }

        public LINECALLLIST(Pointer p) {
            super(p, ALIGN_NONE);
            read();
        }
    }
}
