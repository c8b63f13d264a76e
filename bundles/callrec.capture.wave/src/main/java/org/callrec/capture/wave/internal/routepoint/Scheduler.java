package org.callrec.capture.wave.internal.routepoint;

/** Runs re-dials later; a seam so tests step time by hand. */
public interface Scheduler {

    /**
     * @param task what to run
     * @param delayMillis after how long
     * @return cancels the task if it has not run yet
     */
    Runnable schedule(Runnable task, long delayMillis);
}
