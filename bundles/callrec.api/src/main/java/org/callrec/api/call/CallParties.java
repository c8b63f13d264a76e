package org.callrec.api.call;

/**
 * The numbers involved in a call, as TAPI's LINECALLINFO or SIP headers give them. Each may be
 * null when the source does not know it.
 *
 * @param caller the calling party (ANI)
 * @param called the number dialled
 * @param connected the party actually connected, after forwards and transfers
 * @param redirecting the number that forwarded or transferred the call
 */
public record CallParties(String caller, String called, String connected, String redirecting) {

    /** No numbers known. */
    public static final CallParties UNKNOWN = new CallParties(null, null, null, null);
}
