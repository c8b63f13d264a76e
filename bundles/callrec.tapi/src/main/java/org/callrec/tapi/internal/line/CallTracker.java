package org.callrec.tapi.internal.line;

import static org.callrec.tapi.internal.line.TapiConstants.*;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.callrec.api.call.CallDirection;
import org.callrec.api.call.CallEvent;
import org.callrec.api.call.CallEventType;
import org.callrec.api.call.CallOrigin;
import org.callrec.api.call.CallParties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TAPI call state machine: turns LINE_CALLSTATE, LINE_CALLINFO and LINE_REPLY messages into
 * {@link CallEvent}s, one stream per monitored line. Calls are keyed by line and dwCallID, never by
 * hCall, because hCall handles change when the provider re-initialises while dwCallID does not: a
 * call recovered after a re-initialisation continues, it is not announced twice.
 *
 * <p>Rules (each a TAPI fact or our explicit decision):
 * <ul>
 * <li>OFFERING, ACCEPTED map one to one; DIALTONE, DIALING, PROCEEDING, RINGBACK give one DIALING.</li>
 * <li>CONNECTED gives CONNECTED the first time and RESUMED after ONHOLD / ONHOLDPENDTRANSFER /
 * ONHOLDPENDCONF; the three hold states give one ON_HOLD.</li>
 * <li>CONFERENCED gives CONFERENCED with the conference call's id (dwRelatedCallID) as related id;
 * when a conferenced call's dwRelatedCallID changes (the PBX rebuilds the conference on a system
 * conference extension as a 4th party joins) it gives CONFERENCED again, with the new bridge and
 * the bridge's extension as connected party. Conference parent calls (LINECALLORIGIN_CONFERENCE)
 * are bridges, not user calls: they give no events.</li>
 * <li>Transfer: a call on one line whose dwReason is LINECALLREASON_TRANSFER names, by its
 * dwCallID and dwRelatedCallID, the call it continues. Every live call on another line with one of
 * those ids gives TRANSFERRED, its related ids being the other ids of the transfer; a call already
 * connected that becomes a transfer result gives TRANSFERRED too (with its new connected party).</li>
 * <li>DISCONNECTED gives DISCONNECTED; IDLE gives DISCONNECTED first if the call never
 * disconnected (transferred or picked up elsewhere), then IDLE; every call ends with both.</li>
 * <li>Origin: LINECALLORIGIN_INTERNAL / _EXTERNAL as given; for OUTBOUND and INBOUND the far number
 * decides: it is internal when it matches the configured internal number pattern.
 * Direction: OUTBOUND for LINECALLORIGIN_OUTBOUND, INBOUND for INTERNAL / EXTERNAL / INBOUND.</li>
 * <li>DNIS (only when EnableDnis is true): after a forward (LINECALLREASON_FWDBUSY, _FWDNOANSWER,
 * _FWDUNCOND, _REDIRECT) it is the redirecting number; otherwise on inbound external calls it is
 * the called number; otherwise there is none.</li>
 * </ul>
 * Not thread-safe: the message pump is its only caller.
 */
public final class CallTracker {

    private static final Logger LOG = LoggerFactory.getLogger(CallTracker.class);

    /** Looks up LINECALLINFO for a call handle (lineGetCallInfo). */
    public interface CallInfoSource {
        TapiCallInfo callInfo(int hCall) throws TapiException;
    }

    private final String sourceId;
    private final Consumer<CallEvent> sink;
    private final Clock clock;
    private final boolean dnisEnabled;
    private final Pattern internalNumber;
    private final Map<Integer, String> lineExtension = new HashMap<>();
    private final Map<Integer, Call> byHandle = new HashMap<>();
    private final Map<String, Call> byKey = new LinkedHashMap<>();
    private Set<String> recoveredKeys;
    private long failedReplies;

    public CallTracker(String sourceId, Consumer<CallEvent> sink, Clock clock, boolean dnisEnabled,
            Pattern internalNumber) {
        this.sourceId = Objects.requireNonNull(sourceId);
        this.sink = Objects.requireNonNull(sink);
        this.clock = Objects.requireNonNull(clock);
        this.dnisEnabled = dnisEnabled;
        this.internalNumber = Objects.requireNonNull(internalNumber);
    }

    /** A new provider session starts: every handle of the old one is void. */
    public void sessionStarted() {
        lineExtension.clear();
        byHandle.clear();
        recoveredKeys = new LinkedHashSet<>();
    }

    /** The line hLine was opened for monitoring; its address is the extension. */
    public void lineOpened(int hLine, String extension) {
        lineExtension.put(hLine, extension);
    }

    /**
     * A call found on a line after (re-)initialising. A call already known (same line, same
     * dwCallID) continues under its new handle, giving events only for a state it reached meanwhile;
     * an unknown one is announced from the state it is in.
     */
    public void recovered(int hCall, TapiCallInfo info, int state) {
        Call c = attach(hCall, info);
        if (c == null) {
            return;
        }
        recoveredKeys.add(c.key);
        LOG.info("Recovered call {} on {} in state {}", c.callId, c.extension, callStateName(state));
        onState(c, state);
    }

    /**
     * Recovery is complete: calls known before that the provider no longer has ended while the link
     * was down, and end now.
     */
    public void recoveryDone() {
        List<Call> gone = new ArrayList<>();
        for (Call c : byKey.values()) {
            if (!recoveredKeys.contains(c.key)) {
                gone.add(c);
            }
        }
        for (Call c : gone) {
            LOG.info("Call {} on {} ended while the link was down", c.callId, c.extension);
            onState(c, LINECALLSTATE_IDLE);
        }
        recoveredKeys = null;
    }

    /** Handles one message from lineGetMessage (link-level messages are the pump's business). */
    public void onMessage(TapiMessage m, CallInfoSource infoSource) throws TapiException {
        switch (m.messageId()) {
            case LINE_CALLSTATE -> {
                Call c = callFor(m.hDevice(), infoSource);
                if (c != null) {
                    onState(c, (int) m.param1());
                }
            }
            case LINE_CALLINFO -> {
                Call c = byHandle.get(m.hDevice());
                if (c == null) {
                    c = callFor(m.hDevice(), infoSource); // first sight of the call: its info is fresh
                } else {
                    onInfo(c, infoSource.callInfo(m.hDevice()));
                }
            }
            case LINE_REPLY -> {
                // Asynchronous request results; a monitor issues few, but a failure must be seen.
                if (m.param2() != 0) {
                    failedReplies++;
                    LOG.warn("TAPI request {} failed: LINEERR 0x{}", m.param1(), Long.toHexString(m.param2() & 0xffffffffL));
                }
            }
            default -> LOG.debug("Ignoring {}", m);
        }
    }

    /** @return LINE_REPLY messages that reported an error */
    public long failedReplies() {
        return failedReplies;
    }

    /** @return the calls currently known (for health and tests) */
    public int liveCalls() {
        return byKey.size();
    }

    private Call callFor(int hCall, CallInfoSource infoSource) throws TapiException {
        Call c = byHandle.get(hCall);
        if (c != null) {
            return c;
        }
        return attach(hCall, infoSource.callInfo(hCall));
    }

    private Call attach(int hCall, TapiCallInfo info) {
        String ext = lineExtension.get(info.hLine());
        if (ext == null) {
            LOG.warn("Call handle {} is on line {} which is not open; ignored", hCall, info.hLine());
            return null;
        }
        String key = ext + "/" + Integer.toUnsignedString(info.callId());
        Call c = byKey.get(key);
        if (c == null) {
            c = new Call(key, ext, Integer.toUnsignedString(info.callId()));
            c.info = info;
            byKey.put(key, c);
            c.bridge = (info.origin() & LINECALLORIGIN_CONFERENCE) != 0;
            checkTransfer(c, info, null);
        } else {
            c.info = info; // a known call under a new handle (after re-initialising)
        }
        c.hCall = hCall;
        byHandle.put(hCall, c);
        return c;
    }

    private void onInfo(Call c, TapiCallInfo info) {
        TapiCallInfo old = c.info;
        c.info = info;
        if (c.bridge) {
            return;
        }
        checkTransfer(c, info, old);
        if (c.tapiState == LINECALLSTATE_CONFERENCED && info.relatedCallId() != old.relatedCallId()) {
            // The PBX moved the conference to another bridge (4th party: a system conference extension).
            emit(c, CallEventType.CONFERENCED, conferenceRelated(c));
        }
    }

    private void checkTransfer(Call c, TapiCallInfo info, TapiCallInfo old) {
        if ((info.reason() & LINECALLREASON_TRANSFER) == 0 || (old != null && old.reason() == info.reason()
                && old.relatedCallId() == info.relatedCallId() && Objects.equals(old.connectedId(), info.connectedId()))) {
            return;
        }
        Set<String> ids = new LinkedHashSet<>();
        ids.add(Integer.toUnsignedString(info.callId()));
        if (info.relatedCallId() != 0) {
            ids.add(Integer.toUnsignedString(info.relatedCallId()));
        }
        for (Call other : List.copyOf(byKey.values())) {
            if (other != c && !other.extension.equals(c.extension) && ids.contains(other.callId) && !other.transferred
                    && !other.bridge) {
                other.transferred = true;
                emit(other, CallEventType.TRANSFERRED, without(ids, other.callId));
            }
        }
        if (old != null && c.connected && !c.transferred) {
            c.transferred = true;
            emit(c, CallEventType.TRANSFERRED, without(ids, c.callId));
        }
    }

    private static List<String> without(Set<String> ids, String id) {
        List<String> l = new ArrayList<>(ids);
        l.remove(id);
        return l;
    }

    private void onState(Call c, int state) {
        int previous = c.tapiState;
        c.tapiState = state;
        if (c.bridge) {
            if (state == LINECALLSTATE_IDLE) {
                forget(c);
            }
            return;
        }
        switch (state) {
            case LINECALLSTATE_OFFERING -> once(c, CallEventType.OFFERING);
            case LINECALLSTATE_ACCEPTED -> once(c, CallEventType.ACCEPTED);
            case LINECALLSTATE_DIALTONE, LINECALLSTATE_DIALING, LINECALLSTATE_PROCEEDING, LINECALLSTATE_RINGBACK ->
                once(c, CallEventType.DIALING);
            case LINECALLSTATE_CONNECTED -> {
                if (c.held) {
                    c.held = false;
                    emit(c, CallEventType.RESUMED, List.of());
                } else if (!c.connected) {
                    c.connected = true;
                    emit(c, CallEventType.CONNECTED, List.of());
                }
            }
            case LINECALLSTATE_ONHOLD, LINECALLSTATE_ONHOLDPENDCONF, LINECALLSTATE_ONHOLDPENDTRANSFER -> {
                if (!c.held) {
                    c.held = true;
                    emit(c, CallEventType.ON_HOLD, List.of());
                }
            }
            case LINECALLSTATE_CONFERENCED -> {
                if (previous != LINECALLSTATE_CONFERENCED) {
                    c.held = false;
                    c.connected = true;
                    emit(c, CallEventType.CONFERENCED, conferenceRelated(c));
                }
            }
            case LINECALLSTATE_DISCONNECTED -> once(c, CallEventType.DISCONNECTED);
            case LINECALLSTATE_IDLE -> {
                once(c, CallEventType.DISCONNECTED);
                emit(c, CallEventType.IDLE, List.of());
                forget(c);
            }
            default -> LOG.debug("Call {} on {}: state {} gives no event", c.callId, c.extension, callStateName(state));
        }
    }

    private List<String> conferenceRelated(Call c) {
        return c.info.relatedCallId() == 0 ? List.of() : List.of(Integer.toUnsignedString(c.info.relatedCallId()));
    }

    private void forget(Call c) {
        byKey.remove(c.key);
        byHandle.values().removeIf(x -> x == c);
        if (recoveredKeys != null) {
            recoveredKeys.remove(c.key);
        }
    }

    private void once(Call c, CallEventType type) {
        if (c.emitted.add(type)) {
            emit(c, type, List.of());
        }
    }

    private void emit(Call c, CallEventType type, List<String> related) {
        c.emitted.add(type);
        TapiCallInfo i = c.info;
        CallDirection direction = direction(i.origin());
        String far = direction == CallDirection.OUTBOUND ? i.calledId() : i.callerId();
        CallOrigin origin = origin(i.origin(), far);
        CallParties parties = new CallParties(i.callerId(), i.calledId(), i.connectedId(), i.redirectingId());
        CallEvent e = new CallEvent(sourceId, c.callId, type, clock.instant(), c.extension, parties, origin, direction,
                dnis(i, origin, direction), related, List.of());
        LOG.debug("{} {} {} {}", c.extension, c.callId, type, related);
        sink.accept(e);
    }

    private static CallDirection direction(int origin) {
        if ((origin & LINECALLORIGIN_OUTBOUND) != 0) {
            return CallDirection.OUTBOUND;
        }
        if ((origin & (LINECALLORIGIN_INTERNAL | LINECALLORIGIN_EXTERNAL | LINECALLORIGIN_INBOUND)) != 0) {
            return CallDirection.INBOUND;
        }
        return CallDirection.UNKNOWN;
    }

    private CallOrigin origin(int origin, String farNumber) {
        if ((origin & LINECALLORIGIN_INTERNAL) != 0) {
            return CallOrigin.INTERNAL;
        }
        if ((origin & LINECALLORIGIN_EXTERNAL) != 0) {
            return CallOrigin.EXTERNAL;
        }
        if ((origin & (LINECALLORIGIN_OUTBOUND | LINECALLORIGIN_INBOUND)) != 0 && farNumber != null) {
            return internalNumber.matcher(farNumber).matches() ? CallOrigin.INTERNAL : CallOrigin.EXTERNAL;
        }
        return CallOrigin.UNKNOWN;
    }

    private String dnis(TapiCallInfo i, CallOrigin origin, CallDirection direction) {
        if (!dnisEnabled) {
            return null;
        }
        if ((i.reason() & FORWARD_REASONS) != 0 && i.redirectingId() != null) {
            return i.redirectingId();
        }
        if (direction == CallDirection.INBOUND && origin == CallOrigin.EXTERNAL) {
            return i.calledId();
        }
        return null;
    }

    /** One call on one monitored line. */
    private static final class Call {
        final String key;
        final String extension;
        final String callId;
        final Set<CallEventType> emitted = java.util.EnumSet.noneOf(CallEventType.class);
        int hCall;
        TapiCallInfo info;
        int tapiState;
        boolean connected;
        boolean held;
        boolean transferred;
        boolean bridge;

        Call(String key, String extension, String callId) {
            this.key = key;
            this.extension = extension;
            this.callId = callId;
        }
    }
}
