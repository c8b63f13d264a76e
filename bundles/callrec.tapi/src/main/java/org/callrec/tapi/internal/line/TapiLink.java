package org.callrec.tapi.internal.line;

import static org.callrec.tapi.internal.line.TapiConstants.*;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.callrec.api.call.LinkState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message pump and the link's life: initialise, open every line with monitor privilege,
 * re-query the calls in progress, then lineGetMessage in a loop. LINE_LINEDEVSTATE(REINIT),
 * LINE_CLOSE and errors from lineGetMessage shut the provider down and re-initialise it after a
 * back-off (1 s doubling to 60 s). A watchdog re-initialises a provider that went silent: no
 * message and failing status polls for the watchdog time. Runs on its own thread.
 */
public final class TapiLink implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(TapiLink.class);

    /** Why a session ended and the provider must be re-initialised. */
    private static final class Reinit extends Exception {
        private static final long serialVersionUID = 1L;

        Reinit(String why) {
            super(why, null, false, false);
        }
    }

    private final TapiApi api;
    private final CallTracker tracker;
    private final LinkSettings settings;
    private final Consumer<LinkState> linkListener;
    private final Clock clock;
    private final Backoff backoff;
    private final AtomicLong initialisations = new AtomicLong();
    private final AtomicLong watchdogFirings = new AtomicLong();
    private volatile LinkState state;
    private volatile boolean running;
    private volatile Thread thread;
    private int attempt;

    public TapiLink(TapiApi api, CallTracker tracker, LinkSettings settings, Consumer<LinkState> linkListener,
            Clock clock) {
        this.api = Objects.requireNonNull(api);
        this.tracker = Objects.requireNonNull(tracker);
        this.settings = Objects.requireNonNull(settings);
        this.linkListener = Objects.requireNonNull(linkListener);
        this.clock = Objects.requireNonNull(clock);
        this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax());
        this.state = new LinkState(LinkState.Status.DOWN, clock.instant(), "not started");
    }

    /** Starts the pump thread. */
    public synchronized void start(String threadName) {
        if (thread != null) {
            return;
        }
        running = true;
        Thread t = new Thread(this, threadName);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Stops the pump, shuts the provider down and waits for the thread (bounded). */
    public void stop() {
        running = false;
        Thread t;
        synchronized (this) {
            t = thread;
            thread = null;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(settings.pollInterval().toMillis() * 4 + 2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        setState(LinkState.Status.DOWN, "stopped");
    }

    /** @return the current link state */
    public LinkState state() {
        return state;
    }

    /** @return how many times the provider was initialised (1 after a clean start) */
    public long initialisations() {
        return initialisations.get();
    }

    /** @return how many times the watchdog re-initialised a silent provider */
    public long watchdogFirings() {
        return watchdogFirings.get();
    }

    @Override
    public void run() {
        while (running) {
            String why;
            try {
                session();
                break; // stopped
            } catch (Reinit e) {
                why = e.getMessage();
            } catch (TapiException e) {
                why = e.getMessage();
            } catch (RuntimeException e) {
                LOG.error("TAPI link: unexpected failure", e);
                why = "unexpected: " + e;
            }
            api.shutdown();
            if (!running) {
                break;
            }
            Duration delay = backoff.next();
            attempt++;
            setState(LinkState.Status.RECONNECTING, why + "; re-initialising in " + delay.toMillis() + " ms (attempt "
                    + attempt + ")");
            if (!sleep(delay)) {
                break;
            }
        }
        api.shutdown();
    }

    private void session() throws TapiException, Reinit {
        initialisations.incrementAndGet();
        int devices = api.initialize(settings.appName());
        tracker.sessionStarted();
        List<Integer> lines = new ArrayList<>();
        for (int dev = 0; dev < devices; dev++) {
            String ext;
            int hLine;
            try {
                ext = api.lineAddress(dev);
                hLine = api.openMonitor(dev);
            } catch (TapiException e) {
                // One bad device (e.g. a line without a user) must not keep the others unmonitored.
                LOG.warn("TAPI line device {} not monitored: {}", dev, e.getMessage());
                continue;
            }
            tracker.lineOpened(hLine, ext);
            lines.add(hLine);
        }
        for (int hLine : lines) {
            for (int hCall : api.callsOnLine(hLine)) {
                tracker.recovered(hCall, api.callInfo(hCall), api.callState(hCall));
            }
        }
        tracker.recoveryDone();
        backoff.reset();
        attempt = 0;
        setState(LinkState.Status.UP, null);
        LOG.info("TAPI link up: {} line device(s), {} monitored, {} call(s) in progress", devices, lines.size(),
                tracker.liveCalls());
        Instant lastSign = clock.instant();
        while (running) {
            TapiMessage m;
            m = api.nextMessage(settings.pollInterval().toMillis());
            Instant now = clock.instant();
            if (m != null) {
                lastSign = now;
                handle(m);
                continue;
            }
            if (Duration.between(lastSign, now).compareTo(settings.pollInterval()) < 0) {
                continue;
            }
            String pollError = poll(lines);
            if (pollError == null) {
                lastSign = now; // the TSP answers: a quiet line, not a silent provider
            } else if (Duration.between(lastSign, now).compareTo(settings.watchdogTimeout()) >= 0) {
                watchdogFirings.incrementAndGet();
                throw new Reinit("watchdog: no TAPI message and failing status polls for "
                        + Duration.between(lastSign, now).toMillis() + " ms (" + pollError + ")");
            }
        }
    }

    private String poll(List<Integer> lines) {
        for (int hLine : lines) {
            try {
                api.pollLine(hLine);
            } catch (TapiException e) {
                return e.getMessage();
            }
        }
        return lines.isEmpty() ? "no line open" : null;
    }

    private void handle(TapiMessage m) throws TapiException, Reinit {
        switch (m.messageId()) {
            case LINE_LINEDEVSTATE -> {
                if ((m.param1() & LINEDEVSTATE_REINIT) != 0) {
                    throw new Reinit("LINE_LINEDEVSTATE REINIT (PBX or TSP restarted)");
                }
            }
            case LINE_CLOSE -> throw new Reinit("LINE_CLOSE on line " + m.hDevice());
            default -> {
                try {
                    tracker.onMessage(m, api::callInfo);
                } catch (TapiException e) {
                    // One call's info failing (e.g. it went idle meanwhile) is not a link failure.
                    LOG.warn("TAPI message {} not processed: {}", m, e.getMessage());
                }
                if (m.messageId() == LINE_CALLSTATE && m.param1() == LINECALLSTATE_IDLE) {
                    api.deallocateCall(m.hDevice()); // monitor handles leak in the TSP unless freed
                }
            }
        }
    }

    private void setState(LinkState.Status status, String error) {
        LinkState old = state;
        if (old.status() == status && Objects.equals(old.lastError(), error)) {
            return;
        }
        Instant since = old.status() == status ? old.since() : clock.instant();
        LinkState s = new LinkState(status, since, error != null ? error
                : old.status() == LinkState.Status.RECONNECTING ? old.lastError() : null);
        state = s;
        if (status == LinkState.Status.UP || "stopped".equals(error)) {
            LOG.info("TAPI link {}{}", status, error == null ? "" : ": " + error);
        } else {
            LOG.warn("TAPI link {} since {}: {}", status, s.since(), s.lastError());
        }
        linkListener.accept(s);
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
