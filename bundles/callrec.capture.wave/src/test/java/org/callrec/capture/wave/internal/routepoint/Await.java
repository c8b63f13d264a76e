package org.callrec.capture.wave.internal.routepoint;

import java.util.function.BooleanSupplier;

/** Waits for another thread's effect; fails the test after 10 s (a hang, not a timing bar). */
public final class Await {

    private Await() {
    }

    public static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached within 10 s");
            }
            Thread.sleep(2);
        }
    }
}
