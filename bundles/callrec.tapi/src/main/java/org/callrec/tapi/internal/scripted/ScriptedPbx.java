package org.callrec.tapi.internal.scripted;

import static org.callrec.tapi.internal.line.TapiConstants.*;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.callrec.tapi.internal.line.TapiApi;
import org.callrec.tapi.internal.line.TapiCallInfo;
import org.callrec.tapi.internal.line.TapiException;
import org.callrec.tapi.internal.line.TapiMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for tapi32 and the ShoreTel TSP: plays scenarios as the TAPI messages a monitoring
 * application would receive, and answers lineGetCallInfo, lineGetCallStatus and lineGetNewCalls
 * from its own call table. Like the real provider it hands out new hCall handles after every
 * re-initialisation while dwCallID stays, it stops talking after a REINIT until re-initialised, and
 * a "silent" TSP delivers nothing and fails status polls until re-initialised.
 *
 * <p>Three paces: as fast as the application pumps (tests), the wall clock (the runtime and demo),
 * or a capture file's clock ({@link #onCaptureClock}): there steps take effect when the reader of the
 * file advances the clock past their time, and {@link #advanceTo} returns only once the pump has
 * delivered every message due and come back for more, so events meet the packets that follow them.
 */
public final class ScriptedPbx implements TapiApi {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptedPbx.class);

    private final List<Scenario> scenarios;
    private final boolean realTime;
    private final boolean loop;
    private final List<String> lines = new ArrayList<>();
    private final ArrayDeque<TapiMessage> queue = new ArrayDeque<>();
    private final Map<String, SimCall> calls = new LinkedHashMap<>();
    private final Map<Integer, SimCall> handles = new HashMap<>();
    private final Map<String, Integer> openLines = new HashMap<>();
    private int scenarioIndex;
    private int stepIndex;
    private int round;
    private int session;
    private int nextHandle;
    private boolean initialized;
    private boolean awaitingReinit;
    private boolean silent;
    private long nextStepAt;
    private volatile boolean finished;
    private int initCount;
    private int deallocated;
    // capture clock (null origin: not on a capture clock, or not begun)
    private final boolean onCaptureClock;
    private Instant origin;
    private Instant captureNow;
    private Instant eventTime;
    private boolean pumpIdle;

    /** How long (wall time) {@link #advanceTo} waits for the pump to deliver what is due. */
    static final long CATCH_UP_MILLIS = 30_000;

    /**
     * @param scenarios played in order
     * @param realTime wait each step's {@code after} ms (the runtime); false plays as fast as pumped (tests)
     * @param loop start over when the last scenario ends, with fresh call ids (the runtime)
     */
    public ScriptedPbx(List<Scenario> scenarios, boolean realTime, boolean loop) {
        this(scenarios, realTime, loop, false);
    }

    private ScriptedPbx(List<Scenario> scenarios, boolean realTime, boolean loop, boolean onCaptureClock) {
        this.onCaptureClock = onCaptureClock;
        if (scenarios.isEmpty()) {
            throw new IllegalArgumentException("the scripted PBX needs at least one scenario");
        }
        this.scenarios = List.copyOf(scenarios);
        this.realTime = realTime;
        this.loop = loop;
        for (Scenario s : scenarios) {
            for (String l : s.lines()) {
                if (!lines.contains(l)) {
                    lines.add(l);
                }
            }
        }
    }

    /**
     * A PBX playing one scenario on a capture file's clock: nothing happens until {@link #begin},
     * then each step when {@link #advanceTo} reaches its time.
     *
     * @throws IllegalArgumentException the scenario has a step that cannot be played on a capture
     *         clock (a silent TSP is cured by the watchdog, which runs on wall time)
     */
    public static ScriptedPbx onCaptureClock(Scenario scenario) {
        for (Scenario.Step s : scenario.steps()) {
            if ("SILENT".equals(s.link())) {
                throw new IllegalArgumentException("scenario " + scenario.name() + " step " + s.index()
                        + ": link SILENT cannot be played on a capture clock (the watchdog that cures a silent TSP"
                        + " runs on wall time)");
            }
        }
        return new ScriptedPbx(List.of(scenario), false, false, true);
    }

    /**
     * Starts the capture clock at the file's first packet.
     *
     * @return what is played, in a line
     * @throws IllegalArgumentException a step lies before the first packet (the scenario names its
     *         own start): it could not take effect at its time
     */
    public synchronized String begin(Instant firstPacket) {
        if (!onCaptureClock) {
            throw new IllegalStateException("not on a capture clock");
        }
        Scenario sc = scenarios.get(0);
        Instant start = sc.start() != null ? sc.start() : firstPacket;
        for (Scenario.Step s : sc.steps()) {
            Instant due = start.plusMillis(s.offsetMs());
            if (!s.quiet() && due.isBefore(firstPacket)) {
                throw new IllegalArgumentException("scenario " + sc.name() + " step " + s.index() + ": takes effect at "
                        + due + " ('start' " + start + " + " + s.offsetMs() + " ms), before the capture's first packet"
                        + " at " + firstPacket + ": a step in the past cannot be played");
            }
        }
        origin = start;
        captureNow = firstPacket;
        notifyAll();
        long last = sc.steps().get(sc.steps().size() - 1).offsetMs();
        return "scenario '" + sc.name() + "': " + sc.steps().size() + " step(s) from " + start
                + (sc.start() == null ? " (the first packet)" : " ('start')") + " to " + start.plusMillis(last);
    }

    /**
     * Moves the capture clock to t and waits until every step due by then was played, its messages
     * taken by the pump, and the pump is back asking for more (so its events reached the listeners).
     *
     * @throws IllegalStateException the pump did not catch up within {@value #CATCH_UP_MILLIS} ms
     */
    public synchronized void advanceTo(Instant t) {
        if (origin == null) {
            throw new IllegalStateException("the capture clock has not begun");
        }
        if (t.isAfter(captureNow)) {
            captureNow = t;
        }
        if (caughtUp()) {
            return;
        }
        notifyAll();
        long deadline = System.nanoTime() + CATCH_UP_MILLIS * 1_000_000L;
        while (!caughtUp()) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new IllegalStateException("the scripted PBX did not deliver the steps due by " + t + " within "
                        + CATCH_UP_MILLIS + " ms (" + (initialized ? awaitingReinit ? "waiting for re-initialisation"
                        : "the TAPI pump did not take its messages" : "the TAPI link is down") + ")");
            }
            try {
                wait(Math.min(left, 100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the scripted PBX played the steps due by " + t);
            }
        }
    }

    /**
     * The capture ended: plays the steps due after its last packet at their own times.
     *
     * @return how many steps were due after the last packet
     */
    public int finish(Instant lastPacket) {
        Instant end;
        int after = 0;
        synchronized (this) {
            if (origin == null) {
                throw new IllegalStateException("the capture clock has not begun");
            }
            end = lastPacket;
            for (Scenario.Step s : scenarios.get(0).steps()) {
                Instant due = origin.plusMillis(s.offsetMs());
                if (due.isAfter(lastPacket)) {
                    after += s.quiet() ? 0 : 1;
                    end = due.isAfter(end) ? due : end;
                }
            }
        }
        advanceTo(end);
        return after;
    }

    /** @return the time of the step being played, or the capture clock's time: event times on a capture clock */
    public Clock captureClock() {
        return new Clock() {
            @Override
            public Instant instant() {
                synchronized (ScriptedPbx.this) {
                    return eventTime != null ? eventTime : captureNow != null ? captureNow : Instant.now();
                }
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException("the capture clock is UTC");
            }
        };
    }

    private boolean caughtUp() {
        return initialized && !awaitingReinit && queue.isEmpty() && pumpIdle && !stepDue();
    }

    /** @return true when the next step's time on the capture clock has come */
    private boolean stepDue() {
        if (origin == null || scenarioIndex >= scenarios.size()) {
            return false;
        }
        List<Scenario.Step> steps = scenarios.get(scenarioIndex).steps();
        return stepIndex < steps.size() && !origin.plusMillis(steps.get(stepIndex).offsetMs()).isAfter(captureNow);
    }

    private TapiMessage nextOnCaptureClock(long timeoutMillis) throws TapiException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        synchronized (this) {
            while (true) {
                requireInit("lineGetMessage");
                if (!queue.isEmpty()) {
                    pumpIdle = false;
                    return queue.poll();
                }
                if (!awaitingReinit && stepDue()) {
                    Scenario.Step next = scenarios.get(scenarioIndex).steps().get(stepIndex);
                    eventTime = origin.plusMillis(next.offsetMs());
                    advance();
                    continue;
                }
                if (origin != null && stepIndex >= scenarios.get(0).steps().size()) {
                    finished = true;
                }
                pumpIdle = true; // every message handed out was handled: the pump asks again
                notifyAll();
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return null;
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TapiException("lineGetMessage", LINEERR_OPERATIONFAILED, "interrupted");
                }
            }
        }
    }

    /** @return true once every step was delivered and the application asked for more */
    public boolean finished() {
        return finished;
    }

    /** @return how often the application initialised the provider */
    public synchronized int initialisations() {
        return initCount;
    }

    @Override
    public synchronized int initialize(String appName) {
        initialized = true;
        awaitingReinit = false;
        silent = false; // re-initialising is what cures a silent TSP
        session++;
        initCount++;
        handles.clear();
        openLines.clear();
        queue.clear();
        pumpIdle = false;
        notifyAll();
        nextStepAt = System.currentTimeMillis();
        LOG.info("Scripted PBX: initialised by {} (session {}), {} line(s)", appName, session, lines.size());
        return lines.size();
    }

    @Override
    public synchronized String lineAddress(int deviceId) throws TapiException {
        requireInit("lineGetAddressCaps");
        if (deviceId < 0 || deviceId >= lines.size()) {
            throw new TapiException("lineGetAddressCaps", 0x80000002, "no line device " + deviceId);
        }
        return lines.get(deviceId);
    }

    @Override
    public synchronized int openMonitor(int deviceId) throws TapiException {
        String ext = lineAddress(deviceId);
        int hLine = session * 0x1000 + 0x100 + deviceId;
        openLines.put(ext, hLine);
        return hLine;
    }

    @Override
    public TapiMessage nextMessage(long timeoutMillis) throws TapiException {
        if (onCaptureClock) {
            return nextOnCaptureClock(timeoutMillis);
        }
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            long wait;
            synchronized (this) {
                requireInit("lineGetMessage");
                if (!silent && !queue.isEmpty()) {
                    return queue.poll();
                }
                if (!silent && !awaitingReinit && System.currentTimeMillis() >= nextStepAt) {
                    if (advance()) {
                        continue;
                    }
                }
                long now = System.currentTimeMillis();
                wait = Math.min(deadline, silent || awaitingReinit || finished ? deadline : nextStepAt) - now;
                if (wait <= 0 && now >= deadline) {
                    return null;
                }
            }
            if (wait > 0) {
                try {
                    Thread.sleep(Math.min(wait, 50));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TapiException("lineGetMessage", LINEERR_OPERATIONFAILED, "interrupted");
                }
            }
        }
    }

    /** Plays the next step. @return false when there is none (finished) */
    private boolean advance() {
        if (scenarioIndex >= scenarios.size()) {
            if (!loop) {
                finished = true;
                return false;
            }
            scenarioIndex = 0;
            round++;
        }
        Scenario sc = scenarios.get(scenarioIndex);
        if (stepIndex >= sc.steps().size()) {
            scenarioIndex++;
            stepIndex = 0;
            calls.values().removeIf(c -> c.state == LINECALLSTATE_IDLE);
            return true;
        }
        Scenario.Step step = sc.steps().get(stepIndex++);
        play(sc, step);
        // Quiet steps happen while the link is down: apply them now, before the application returns.
        while (stepIndex < sc.steps().size() && sc.steps().get(stepIndex).quiet()) {
            play(sc, sc.steps().get(stepIndex++));
        }
        if (realTime && stepIndex < sc.steps().size()) {
            nextStepAt = System.currentTimeMillis() + sc.steps().get(stepIndex).afterMs();
        }
        return true;
    }

    private void play(Scenario sc, Scenario.Step step) {
        if (step.link() != null) {
            switch (step.link()) {
                case "REINIT" -> {
                    LOG.info("Scripted PBX [{}]: PBX restarts (LINE_LINEDEVSTATE REINIT)", sc.name());
                    queue.add(new TapiMessage(0, LINE_LINEDEVSTATE, 0, LINEDEVSTATE_REINIT, 0, 0));
                    awaitingReinit = true;
                }
                case "SILENT" -> {
                    LOG.info("Scripted PBX [{}]: the TSP goes silent", sc.name());
                    silent = true;
                }
                case "CLOSE" -> queue.add(new TapiMessage(hLine(step.line()), LINE_CLOSE, 0, 0, 0, 0));
                default -> throw new IllegalStateException(step.link());
            }
            return;
        }
        if (step.reply() != null) {
            queue.add(new TapiMessage(0, LINE_REPLY, 0, step.reply(), step.result(), 0));
            return;
        }
        String key = round + ":" + sc.name() + ":" + step.call();
        SimCall c = calls.get(key);
        boolean isNew = c == null;
        if (isNew) {
            c = new SimCall(step.line());
            calls.put(key, c);
        }
        int changed = c.apply(step.info(), round * 10_000);
        boolean send = !step.quiet();
        if (isNew) {
            c.state = org.callrec.tapi.internal.line.TapiConstants.callState(step.state());
            if (send) {
                int h = handle(c);
                queue.add(new TapiMessage(hLine(c.line), LINE_APPNEWCALL, 0, 0, h, LINECALLPRIVILEGE_MONITOR));
                queue.add(new TapiMessage(h, LINE_CALLSTATE, 0, c.state, 0, LINECALLPRIVILEGE_MONITOR));
            }
            return;
        }
        if (changed != 0 && send) {
            queue.add(new TapiMessage(handle(c), LINE_CALLINFO, 0, changed, 0, 0));
        }
        if (step.state() != null) {
            c.state = org.callrec.tapi.internal.line.TapiConstants.callState(step.state());
            if (send) {
                queue.add(new TapiMessage(handle(c), LINE_CALLSTATE, 0, c.state, 0, 0));
            }
        }
        if (c.state == LINECALLSTATE_IDLE) {
            calls.remove(key); // the application deallocates; the switch forgets the call
        }
    }

    private int hLine(String ext) {
        Integer h = openLines.get(ext);
        return h == null ? 0 : h;
    }

    private int handle(SimCall c) {
        if (c.handleSession != session) {
            c.handleSession = session;
            c.hCall = session * 0x10000 + (++nextHandle);
            handles.put(c.hCall, c);
        }
        return c.hCall;
    }

    @Override
    public synchronized TapiCallInfo callInfo(int hCall) throws TapiException {
        SimCall c = call("lineGetCallInfo", hCall);
        return new TapiCallInfo(hLine(c.line), c.callId, c.relatedCallId, c.origin, c.reason, c.caller, c.called,
                c.connected, c.redirection, c.redirecting);
    }

    @Override
    public synchronized int callState(int hCall) throws TapiException {
        return call("lineGetCallStatus", hCall).state;
    }

    @Override
    public synchronized int[] callsOnLine(int hLine) throws TapiException {
        requireInit("lineGetNewCalls");
        List<Integer> hs = new ArrayList<>();
        for (SimCall c : calls.values()) {
            if (hLine(c.line) == hLine && c.state != LINECALLSTATE_IDLE) {
                hs.add(handle(c));
            }
        }
        return hs.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public synchronized void pollLine(int hLine) throws TapiException {
        requireInit("lineGetLineDevStatus");
        if (silent) {
            throw new TapiException("lineGetLineDevStatus", LINEERR_OPERATIONFAILED, "the TSP does not answer");
        }
    }

    @Override
    public synchronized void deallocateCall(int hCall) {
        if (handles.remove(hCall) != null) {
            deallocated++;
        }
    }

    /** @return how many call handles the application deallocated */
    public synchronized int deallocated() {
        return deallocated;
    }

    @Override
    public synchronized void shutdown() {
        if (initialized) {
            LOG.info("Scripted PBX: lineShutdown (session {})", session);
        }
        initialized = false;
        pumpIdle = false;
        notifyAll();
    }

    private SimCall call(String fn, int hCall) throws TapiException {
        requireInit(fn);
        SimCall c = handles.get(hCall);
        if (c == null || c.handleSession != session) {
            throw new TapiException(fn, LINEERR_INVALCALLHANDLE, "no call handle " + hCall);
        }
        return c;
    }

    private void requireInit(String fn) throws TapiException {
        if (!initialized) {
            throw new TapiException(fn, LINEERR_UNINITIALIZED, "provider not initialised");
        }
    }

    /** One call on the simulated switch, on one line. */
    private static final class SimCall {
        final String line;
        int hCall;
        int handleSession = -1;
        int state;
        int callId;
        int relatedCallId;
        int origin = LINECALLORIGIN_UNKNOWN;
        int reason = LINECALLREASON_UNKNOWN;
        String caller;
        String called;
        String connected;
        String redirection;
        String redirecting;

        SimCall(String line) {
            this.line = Objects.requireNonNull(line);
        }

        /** @return the LINECALLINFOSTATE_ bits of what changed */
        int apply(Map<String, Object> info, int idOffset) {
            int changed = 0;
            for (Map.Entry<String, Object> e : info.entrySet()) {
                Object v = e.getValue();
                switch (e.getKey()) {
                    case "callId" -> {
                        callId = (int) (long) (Long) v + idOffset;
                        changed |= LINECALLINFOSTATE_CALLID;
                    }
                    case "relatedCallId" -> {
                        long r = (Long) v;
                        relatedCallId = r == 0 ? 0 : (int) r + idOffset;
                        changed |= LINECALLINFOSTATE_RELATEDCALLID;
                    }
                    case "origin" -> {
                        origin = org.callrec.tapi.internal.line.TapiConstants.origin((String) v);
                        changed |= LINECALLINFOSTATE_ORIGIN;
                    }
                    case "reason" -> {
                        reason = org.callrec.tapi.internal.line.TapiConstants.reason((String) v);
                        changed |= LINECALLINFOSTATE_REASON;
                    }
                    case "caller" -> {
                        caller = (String) v;
                        changed |= LINECALLINFOSTATE_CALLERID;
                    }
                    case "called" -> {
                        called = (String) v;
                        changed |= LINECALLINFOSTATE_CALLEDID;
                    }
                    case "connected" -> {
                        connected = (String) v;
                        changed |= LINECALLINFOSTATE_CONNECTEDID;
                    }
                    case "redirection" -> {
                        redirection = (String) v;
                        changed |= LINECALLINFOSTATE_REDIRECTIONID;
                    }
                    case "redirecting" -> {
                        redirecting = (String) v;
                        changed |= LINECALLINFOSTATE_REDIRECTINGID;
                    }
                    default -> throw new IllegalArgumentException("unknown info key " + e.getKey());
                }
            }
            return changed;
        }
    }
}
