package org.callrec.tapi.internal.line;

/**
 * One LINEMESSAGE as lineGetMessage returns it. Handles are 32-bit DWORDs even on x64; the
 * DWORD_PTR parameters are kept as long.
 */
public record TapiMessage(int hDevice, int messageId, long callbackInstance, long param1, long param2, long param3) {

    @Override
    public String toString() {
        return "LINEMESSAGE[id=" + messageId + " hDevice=" + hDevice + " p1=0x" + Long.toHexString(param1) + " p2=0x"
                + Long.toHexString(param2) + " p3=0x" + Long.toHexString(param3) + "]";
    }
}
