package org.callrec.capture.wave.internal.routepoint;

import java.util.ArrayList;
import java.util.List;

/** Runs scheduled tasks only when the test says so; remembers delays and cancellations. */
public final class ManualScheduler implements Scheduler {

    public final List<Long> delays = new ArrayList<>();
    private final List<Runnable> pending = new ArrayList<>();
    public int cancelled;

    @Override
    public synchronized Runnable schedule(Runnable task, long delayMillis) {
        delays.add(delayMillis);
        pending.add(task);
        return () -> {
            synchronized (this) {
                if (pending.remove(task)) {
                    cancelled++;
                }
            }
        };
    }

    /** Runs what is due now (everything scheduled so far). */
    public void runDue() {
        List<Runnable> due;
        synchronized (this) {
            due = new ArrayList<>(pending);
            pending.clear();
        }
        due.forEach(Runnable::run);
    }

    public synchronized int pending() {
        return pending.size();
    }
}
