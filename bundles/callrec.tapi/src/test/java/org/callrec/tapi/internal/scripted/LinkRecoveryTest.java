package org.callrec.tapi.internal.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.callrec.api.call.CallEvent;
import org.callrec.api.call.LinkState;
import org.callrec.tapi.internal.line.CallTracker;
import org.callrec.tapi.internal.line.LinkSettings;
import org.callrec.tapi.internal.line.TapiApi;
import org.callrec.tapi.internal.line.TapiCallInfo;
import org.callrec.tapi.internal.line.TapiConstants;
import org.callrec.tapi.internal.line.TapiException;
import org.callrec.tapi.internal.line.TapiLink;
import org.callrec.tapi.internal.line.TapiMessage;
import org.junit.jupiter.api.Test;

/**
 * The link's own recovery: a provider that refuses to initialise is retried with doubling delays
 * (capped), and an error from lineGetMessage mid-call re-initialises without duplicating the call.
 * Delays are scaled down (100 ms doubling to 300 ms) so the test stays fast; the 1 s / 60 s
 * defaults are LinkSettings.defaults and BackoffTest.
 */
class LinkRecoveryTest {

    /** The scripted PBX with injected tapi32 failures. */
    private static final class FlakyTapi implements TapiApi {
        final ScriptedPbx pbx;
        final AtomicInteger initFailures;
        final AtomicInteger messagesBeforeError;

        FlakyTapi(ScriptedPbx pbx, int initFailures, int messagesBeforeError) {
            this.pbx = pbx;
            this.initFailures = new AtomicInteger(initFailures);
            this.messagesBeforeError = new AtomicInteger(messagesBeforeError);
        }

        @Override
        public int initialize(String appName) throws TapiException {
            if (initFailures.getAndDecrement() > 0) {
                throw new TapiException("lineInitializeExW", TapiConstants.LINEERR_OPERATIONFAILED, "TAPI service not running");
            }
            return pbx.initialize(appName);
        }

        @Override
        public String lineAddress(int deviceId) throws TapiException {
            return pbx.lineAddress(deviceId);
        }

        @Override
        public int openMonitor(int deviceId) throws TapiException {
            return pbx.openMonitor(deviceId);
        }

        @Override
        public TapiMessage nextMessage(long timeoutMillis) throws TapiException {
            if (messagesBeforeError.getAndDecrement() == 0) {
                throw new TapiException("lineGetMessage", TapiConstants.LINEERR_INVALAPPHANDLE);
            }
            return pbx.nextMessage(timeoutMillis);
        }

        @Override
        public TapiCallInfo callInfo(int hCall) throws TapiException {
            return pbx.callInfo(hCall);
        }

        @Override
        public int callState(int hCall) throws TapiException {
            return pbx.callState(hCall);
        }

        @Override
        public int[] callsOnLine(int hLine) throws TapiException {
            return pbx.callsOnLine(hLine);
        }

        @Override
        public void pollLine(int hLine) throws TapiException {
            pbx.pollLine(hLine);
        }

        @Override
        public void deallocateCall(int hCall) {
            pbx.deallocateCall(hCall);
        }

        @Override
        public void shutdown() {
            pbx.shutdown();
        }
    }

    @Test
    void failedInitialisationsBackOffThenAGetMessageErrorReinitialisesWithoutDuplicates() throws Exception {
        ScriptedPbx pbx = new ScriptedPbx(List.of(Scenario.load("hold-resume")), false, false);
        // 4 refused initialisations; then lineGetMessage fails after 5 messages (the call is connected, on hold)
        FlakyTapi tapi = new FlakyTapi(pbx, 4, 5);
        List<CallEvent> events = new CopyOnWriteArrayList<>();
        List<LinkState> states = new CopyOnWriteArrayList<>();
        CallTracker tracker = new CallTracker("scripted-pbx", events::add, Clock.systemUTC(), false,
                Pattern.compile("[0-9]{2,6}"));
        TapiLink link = new TapiLink(tapi, tracker, new LinkSettings("test", Duration.ofMillis(100),
                Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofMillis(300)), states::add, Clock.systemUTC());
        link.start("test-pump");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!pbx.finished() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        link.stop();
        assertTrue(pbx.finished(), "scenario not finished; link states " + states);

        List<String> retries = states.stream().filter(s -> s.status() == LinkState.Status.RECONNECTING)
                .map(LinkState::lastError).collect(Collectors.toList());
        assertEquals(5, retries.size(), retries.toString());
        for (int i = 0; i < 4; i++) {
            assertTrue(retries.get(i).startsWith("lineInitializeExW failed"), retries.get(i));
        }
        assertTrue(retries.get(0).endsWith("re-initialising in 100 ms (attempt 1)"), retries.get(0));
        assertTrue(retries.get(1).endsWith("re-initialising in 200 ms (attempt 2)"), retries.get(1));
        assertTrue(retries.get(2).endsWith("re-initialising in 300 ms (attempt 3)"), "capped: " + retries.get(2));
        assertTrue(retries.get(3).endsWith("re-initialising in 300 ms (attempt 4)"), retries.get(3));
        assertTrue(retries.get(4).startsWith("lineGetMessage failed") && retries.get(4).endsWith("in 100 ms (attempt 1)"),
                "back to the first delay after the link was up: " + retries.get(4));
        assertEquals(6, link.initialisations());

        assertEquals(List.of("OFFERING", "CONNECTED", "ON_HOLD", "RESUMED", "ON_HOLD", "RESUMED", "DISCONNECTED", "IDLE"),
                events.stream().map(e -> e.type().name()).collect(Collectors.toList()),
                "the call continues across the re-initialisation, announced once");
    }
}
