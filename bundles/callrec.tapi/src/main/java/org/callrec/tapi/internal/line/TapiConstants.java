package org.callrec.tapi.internal.line;

/** The tapi.h values this provider uses (Microsoft TAPI 2.x/3.x line device reference). */
public final class TapiConstants {

    private TapiConstants() {
    }

    // Line messages (LINE_*)
    public static final int LINE_ADDRESSSTATE = 0;
    public static final int LINE_CALLINFO = 1;
    public static final int LINE_CALLSTATE = 2;
    public static final int LINE_CLOSE = 3;
    public static final int LINE_LINEDEVSTATE = 8;
    public static final int LINE_REPLY = 12;
    public static final int LINE_CREATE = 19;
    public static final int LINE_APPNEWCALL = 23;
    public static final int LINE_REMOVE = 25;

    // LINEDEVSTATE_* (dwParam1 of LINE_LINEDEVSTATE)
    public static final int LINEDEVSTATE_OUTOFSERVICE = 0x00000040;
    public static final int LINEDEVSTATE_REINIT = 0x00040000;

    // LINECALLSTATE_*
    public static final int LINECALLSTATE_IDLE = 0x00000001;
    public static final int LINECALLSTATE_OFFERING = 0x00000002;
    public static final int LINECALLSTATE_ACCEPTED = 0x00000004;
    public static final int LINECALLSTATE_DIALTONE = 0x00000008;
    public static final int LINECALLSTATE_DIALING = 0x00000010;
    public static final int LINECALLSTATE_RINGBACK = 0x00000020;
    public static final int LINECALLSTATE_BUSY = 0x00000040;
    public static final int LINECALLSTATE_SPECIALINFO = 0x00000080;
    public static final int LINECALLSTATE_CONNECTED = 0x00000100;
    public static final int LINECALLSTATE_PROCEEDING = 0x00000200;
    public static final int LINECALLSTATE_ONHOLD = 0x00000400;
    public static final int LINECALLSTATE_CONFERENCED = 0x00000800;
    public static final int LINECALLSTATE_ONHOLDPENDCONF = 0x00001000;
    public static final int LINECALLSTATE_ONHOLDPENDTRANSFER = 0x00002000;
    public static final int LINECALLSTATE_DISCONNECTED = 0x00004000;
    public static final int LINECALLSTATE_UNKNOWN = 0x00008000;

    // LINECALLORIGIN_*
    public static final int LINECALLORIGIN_OUTBOUND = 0x00000001;
    public static final int LINECALLORIGIN_INTERNAL = 0x00000002;
    public static final int LINECALLORIGIN_EXTERNAL = 0x00000004;
    public static final int LINECALLORIGIN_UNKNOWN = 0x00000010;
    public static final int LINECALLORIGIN_UNAVAIL = 0x00000020;
    public static final int LINECALLORIGIN_CONFERENCE = 0x00000040;
    public static final int LINECALLORIGIN_INBOUND = 0x00000080;

    // LINECALLREASON_*
    public static final int LINECALLREASON_DIRECT = 0x00000001;
    public static final int LINECALLREASON_FWDBUSY = 0x00000002;
    public static final int LINECALLREASON_FWDNOANSWER = 0x00000004;
    public static final int LINECALLREASON_FWDUNCOND = 0x00000008;
    public static final int LINECALLREASON_PICKUP = 0x00000010;
    public static final int LINECALLREASON_UNPARK = 0x00000020;
    public static final int LINECALLREASON_REDIRECT = 0x00000040;
    public static final int LINECALLREASON_CALLCOMPLETION = 0x00000080;
    public static final int LINECALLREASON_TRANSFER = 0x00000100;
    public static final int LINECALLREASON_REMINDER = 0x00000200;
    public static final int LINECALLREASON_UNKNOWN = 0x00000400;
    public static final int LINECALLREASON_UNAVAIL = 0x00000800;
    public static final int LINECALLREASON_INTRUDE = 0x00001000;
    public static final int LINECALLREASON_PARKED = 0x00002000;
    public static final int LINECALLREASON_CAMPEDON = 0x00004000;
    public static final int LINECALLREASON_ROUTEREQUEST = 0x00008000;

    /** Reasons that mean "forwarded": after them DNIS is the redirecting number. */
    public static final int FORWARD_REASONS = LINECALLREASON_FWDBUSY | LINECALLREASON_FWDNOANSWER
            | LINECALLREASON_FWDUNCOND | LINECALLREASON_REDIRECT;

    // LINECALLINFOSTATE_* (dwParam1 of LINE_CALLINFO)
    public static final int LINECALLINFOSTATE_ORIGIN = 0x00000100;
    public static final int LINECALLINFOSTATE_REASON = 0x00000200;
    public static final int LINECALLINFOSTATE_CALLID = 0x00000040;
    public static final int LINECALLINFOSTATE_RELATEDCALLID = 0x00000080;
    public static final int LINECALLINFOSTATE_CALLERID = 0x00008000;
    public static final int LINECALLINFOSTATE_CALLEDID = 0x00010000;
    public static final int LINECALLINFOSTATE_CONNECTEDID = 0x00020000;
    public static final int LINECALLINFOSTATE_REDIRECTIONID = 0x00040000;
    public static final int LINECALLINFOSTATE_REDIRECTINGID = 0x00080000;

    // Privileges, media modes, options, API versions
    public static final int LINECALLPRIVILEGE_NONE = 0x00000001;
    public static final int LINECALLPRIVILEGE_MONITOR = 0x00000002;
    public static final int LINEMEDIAMODE_INTERACTIVEVOICE = 0x00000004;
    public static final int LINEINITIALIZEEXOPTION_USEEVENT = 0x00000002;
    public static final int LINECALLSELECT_LINE = 0x00000001;
    public static final int TAPI_VERSION_LOW = 0x00010004;
    public static final int TAPI_VERSION_HIGH = 0x00030000;

    // LINEERR_* (negative when read as a signed LONG)
    public static final int LINEERR_INVALAPPHANDLE = 0x80000014;
    public static final int LINEERR_INVALCALLHANDLE = 0x80000018;
    public static final int LINEERR_INVALLINEHANDLE = 0x8000002B;
    public static final int LINEERR_OPERATIONFAILED = 0x80000048;
    public static final int LINEERR_STRUCTURETOOSMALL = 0x8000004D;
    public static final int LINEERR_UNINITIALIZED = 0x80000050;
    public static final int LINEERR_REINIT = 0x80000052;

    /** @return the call state's tapi.h name, for logs and scenario files */
    public static String callStateName(int state) {
        return switch (state) {
            case LINECALLSTATE_IDLE -> "IDLE";
            case LINECALLSTATE_OFFERING -> "OFFERING";
            case LINECALLSTATE_ACCEPTED -> "ACCEPTED";
            case LINECALLSTATE_DIALTONE -> "DIALTONE";
            case LINECALLSTATE_DIALING -> "DIALING";
            case LINECALLSTATE_RINGBACK -> "RINGBACK";
            case LINECALLSTATE_BUSY -> "BUSY";
            case LINECALLSTATE_SPECIALINFO -> "SPECIALINFO";
            case LINECALLSTATE_CONNECTED -> "CONNECTED";
            case LINECALLSTATE_PROCEEDING -> "PROCEEDING";
            case LINECALLSTATE_ONHOLD -> "ONHOLD";
            case LINECALLSTATE_CONFERENCED -> "CONFERENCED";
            case LINECALLSTATE_ONHOLDPENDCONF -> "ONHOLDPENDCONF";
            case LINECALLSTATE_ONHOLDPENDTRANSFER -> "ONHOLDPENDTRANSFER";
            case LINECALLSTATE_DISCONNECTED -> "DISCONNECTED";
            case LINECALLSTATE_UNKNOWN -> "UNKNOWN";
            default -> "0x" + Integer.toHexString(state);
        };
    }

    /** @return the state for a tapi.h name without its LINECALLSTATE_ prefix */
    public static int callState(String name) {
        for (int bit = 1; bit != 0 && bit <= LINECALLSTATE_UNKNOWN; bit <<= 1) {
            if (callStateName(bit).equals(name)) {
                return bit;
            }
        }
        throw new IllegalArgumentException("unknown LINECALLSTATE '" + name + "'");
    }

    /** @return the LINECALLORIGIN_ value for a name */
    public static int origin(String name) {
        return switch (name) {
            case "OUTBOUND" -> LINECALLORIGIN_OUTBOUND;
            case "INTERNAL" -> LINECALLORIGIN_INTERNAL;
            case "EXTERNAL" -> LINECALLORIGIN_EXTERNAL;
            case "UNKNOWN" -> LINECALLORIGIN_UNKNOWN;
            case "UNAVAIL" -> LINECALLORIGIN_UNAVAIL;
            case "CONFERENCE" -> LINECALLORIGIN_CONFERENCE;
            case "INBOUND" -> LINECALLORIGIN_INBOUND;
            default -> throw new IllegalArgumentException("unknown LINECALLORIGIN '" + name + "'");
        };
    }

    /** @return the LINECALLREASON_ value for a name */
    public static int reason(String name) {
        return switch (name) {
            case "DIRECT" -> LINECALLREASON_DIRECT;
            case "FWDBUSY" -> LINECALLREASON_FWDBUSY;
            case "FWDNOANSWER" -> LINECALLREASON_FWDNOANSWER;
            case "FWDUNCOND" -> LINECALLREASON_FWDUNCOND;
            case "PICKUP" -> LINECALLREASON_PICKUP;
            case "REDIRECT" -> LINECALLREASON_REDIRECT;
            case "TRANSFER" -> LINECALLREASON_TRANSFER;
            case "UNKNOWN" -> LINECALLREASON_UNKNOWN;
            case "UNAVAIL" -> LINECALLREASON_UNAVAIL;
            default -> throw new IllegalArgumentException("unknown LINECALLREASON '" + name + "'");
        };
    }
}
