package org.callrec.tapi.internal.line;

/** A tapi32 function failed; carries the LINEERR_ code and the function's name. */
public final class TapiException extends Exception {

    private static final long serialVersionUID = 1L;
    private final int code;

    public TapiException(String function, int code) {
        super(function + " failed: LINEERR 0x" + Integer.toHexString(code));
        this.code = code;
    }

    public TapiException(String function, int code, String detail) {
        super(function + " failed: LINEERR 0x" + Integer.toHexString(code) + " (" + detail + ")");
        this.code = code;
    }

    /** @return the LINEERR_ value */
    public int code() {
        return code;
    }
}
