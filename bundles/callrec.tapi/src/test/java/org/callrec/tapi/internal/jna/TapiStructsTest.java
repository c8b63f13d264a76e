package org.callrec.tapi.internal.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.jna.Memory;
import com.sun.jna.Native;

import org.callrec.tapi.internal.line.TapiCallInfo;
import org.callrec.tapi.internal.line.TapiConstants;
import org.callrec.tapi.internal.line.TapiException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The JNA binding loads here (Linux) and its structures have the sizes and offsets of tapi.h as
 * Microsoft documents them for x64 (1-byte packing, DWORD handles, pointer-wide DWORD_PTR/HANDLE).
 */
class TapiStructsTest {

    @Test
    void runsOn64BitJvm() {
        // The documented figures below are the x64 ones; CI and production are 64-bit.
        assertEquals(8, Native.POINTER_SIZE, "these tests check the x64 layout");
    }

    @Test
    void lineMessageIs40Bytes() {
        TapiStructs.LINEMESSAGE m = new TapiStructs.LINEMESSAGE();
        assertEquals(40, m.size()); // 2 DWORD + 4 DWORD_PTR
        assertEquals(8, off(m, "dwCallbackInstance"));
        assertEquals(16, off(m, "dwParam1"));
        assertEquals(32, off(m, "dwParam3"));
    }

    @Test
    void lineInitializeExParamsIsPacked28Bytes() {
        TapiStructs.LINEINITIALIZEEXPARAMS p = new TapiStructs.LINEINITIALIZEEXPARAMS();
        assertEquals(28, p.size(), "4 DWORD + HANDLE (8) + DWORD, no padding (pack 1)");
        assertEquals(16, off(p, "hEvent"));
        assertEquals(24, off(p, "dwCompletionKey"));
        assertEquals(28, p.dwTotalSize, "dwTotalSize preset to the structure size");
    }

    @Test
    void lineCallInfoFixedPartIs344Bytes() {
        TapiStructs.LINECALLINFO ci = new TapiStructs.LINECALLINFO();
        assertEquals(344, ci.size(), "TAPI 3.0 LINECALLINFO: 86 DWORDs incl. LINEDIALPARAMS");
        assertEquals(12, off(ci, "hLine"));
        assertEquals(40, off(ci, "dwCallID"));
        assertEquals(44, off(ci, "dwRelatedCallID"));
        assertEquals(64, off(ci, "DialParams"));
        assertEquals(80, off(ci, "dwOrigin"));
        assertEquals(84, off(ci, "dwReason"));
        assertEquals(108, off(ci, "dwCallerIDFlags"));
        assertEquals(324, off(ci, "dwCallerIDAddressType"), "TAPI 2.x part ends at 324");
    }

    @Test
    void otherFixedParts() {
        assertEquals(16, new TapiStructs.LINEDIALPARAMS().size());
        assertEquals(56, new TapiStructs.LINECALLSTATUS().size(), "10 DWORD + SYSTEMTIME");
        assertEquals(24, new TapiStructs.LINECALLLIST().size());
    }

    @Test
    void handlesAre32BitInTheFunctionSignatures() throws NoSuchMethodException {
        Method m = Tapi32.class.getMethod("lineGetCallInfoW", int.class, com.sun.jna.Pointer.class);
        assertEquals(int.class, m.getReturnType());
        assertNotNull(Tapi32.class.getMethod("lineGetMessage", int.class, TapiStructs.LINEMESSAGE.class, int.class));
    }

    @Test
    void bindingSaysWhyItCannotRunHere() {
        Assumptions.assumeFalse(System.getProperty("os.name").startsWith("Windows"));
        String why = Tapi32Api.availability();
        assertNotNull(why);
        assertTrue(why.contains("only on Windows"), why);
        assertThrows(UnsatisfiedLinkError.class, Tapi32::load);
    }

    @Test
    void decodesAVariableSizeCallInfoBuffer() {
        // A buffer as lineGetCallInfoW fills it: the fixed part, then UTF-16LE strings it points to.
        int fixed = new TapiStructs.LINECALLINFO().size();
        Memory m = new Memory(512);
        m.clear();
        TapiStructs.LINECALLINFO ci = new TapiStructs.LINECALLINFO(m);
        ci.dwTotalSize = 512;
        ci.dwNeededSize = 400;
        ci.hLine = 0x10203;
        ci.dwCallID = 0xFFFFFFF0; // above 2^31: ids are unsigned
        ci.dwRelatedCallID = 77;
        ci.dwOrigin = TapiConstants.LINECALLORIGIN_EXTERNAL;
        ci.dwReason = TapiConstants.LINECALLREASON_FWDNOANSWER;
        int off = fixed;
        off = put(m, off, "+493012345678", (s, o) -> { ci.dwCallerIDSize = s; ci.dwCallerIDOffset = o; });
        ci.dwCallerIDFlags = Tapi32Api.LINECALLPARTYID_ADDRESS;
        off = put(m, off, "1002", (s, o) -> { ci.dwCalledIDSize = s; ci.dwCalledIDOffset = o; });
        ci.dwCalledIDFlags = Tapi32Api.LINECALLPARTYID_ADDRESS;
        off = put(m, off, "secret", (s, o) -> { ci.dwConnectedIDSize = s; ci.dwConnectedIDOffset = o; });
        ci.dwConnectedIDFlags = 0x1; // LINECALLPARTYID_BLOCKED: the string must not be used
        ci.dwRedirectingIDFlags = Tapi32Api.LINECALLPARTYID_ADDRESS;
        ci.dwRedirectingIDSize = 8;
        ci.dwRedirectingIDOffset = 510; // points outside the structure: ignored
        ci.write();
        TapiCallInfo info = Tapi32Api.decodeCallInfo(m);
        assertEquals(0x10203, info.hLine());
        assertEquals("4294967280", Integer.toUnsignedString(info.callId()));
        assertEquals(77, info.relatedCallId());
        assertEquals("+493012345678", info.callerId());
        assertEquals("1002", info.calledId());
        assertNull(info.connectedId());
        assertNull(info.redirectingId());
        assertTrue(off < 512);
    }

    @Test
    void variableSizeRetriesWhileNeededSizeExceedsTotalSize() throws TapiException {
        AtomicInteger calls = new AtomicInteger();
        Memory m = VariableSize.fetch("lineGetCallInfoW", 400, b -> {
            calls.incrementAndGet();
            int total = b.getInt(0);
            b.setInt(4, 1500); // dwNeededSize: the TSP has 1500 bytes to give
            b.setInt(8, Math.min(total, 1500));
            return 0;
        });
        assertEquals(2, calls.get(), "one call with 400 bytes, one with the needed 1500");
        assertEquals(1500, m.size());
        TapiException e = assertThrows(TapiException.class,
                () -> VariableSize.fetch("lineGetCallStatus", 64, b -> TapiConstants.LINEERR_INVALCALLHANDLE));
        assertEquals(TapiConstants.LINEERR_INVALCALLHANDLE, e.code());
        assertTrue(e.getMessage().startsWith("lineGetCallStatus failed"), e.getMessage());
    }

    /** Structure.fieldOffset is protected; the layout JNA computes is what is checked. */
    private static int off(com.sun.jna.Structure s, String field) {
        try {
            Method m = com.sun.jna.Structure.class.getDeclaredMethod("fieldOffset", String.class);
            m.setAccessible(true);
            return (int) m.invoke(s, field);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private interface Place {
        void at(int size, int offset);
    }

    private static int put(Memory m, int off, String s, Place place) {
        byte[] b = (s + "\0").getBytes(StandardCharsets.UTF_16LE);
        m.write(off, b, 0, b.length);
        place.at(b.length, off);
        return off + b.length;
    }

}
