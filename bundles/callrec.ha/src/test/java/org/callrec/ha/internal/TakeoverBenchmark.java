package org.callrec.ha.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.callrec.api.ha.HaEvent;

/**
 * Benchmark command (not a test): takeover time of a loopback pair, from stopping the primary to the
 * secondary's TOOK_OVER event as an HaListener sees it. Each round first waits until the secondary
 * has just heard a heartbeat, so the figures are the worst case for the phase of the heartbeat.
 * Arguments: interval ms (default 100), rounds (default 20). See BENCHMARKS.md for the command.
 */
public final class TakeoverBenchmark {

    private TakeoverBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int interval = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<Long> ms = new ArrayList<>();
        try (LoopbackPair pair = new LoopbackPair(interval, "benchmark secret, 16+ bytes", "benchmark secret, 16+ bytes")
                .start()) {
            for (int i = 0; i < rounds; i++) {
                long heardBefore = pair.secondary.ha.state().lastValidHeartbeat() == null ? 0
                        : pair.secondary.ha.state().lastValidHeartbeat().toEpochMilli();
                // wait for a fresh heartbeat, then stop right after it
                if (!LoopbackPair.await(() -> {
                    var st = pair.secondary.ha.state();
                    return !st.active() && st.lastValidHeartbeat() != null
                            && st.lastValidHeartbeat().toEpochMilli() > heardBefore;
                }, 10L * interval + 5000)) {
                    throw new IllegalStateException("secondary did not settle: " + pair.secondary.ha.check());
                }
                long stopped = System.nanoTime();
                pair.stopPrimary();
                if (!LoopbackPair.await(() -> pair.secondary.first(HaEvent.Kind.TOOK_OVER, stopped) != null,
                        10L * interval + 5000)) {
                    throw new IllegalStateException("no takeover");
                }
                ms.add((pair.secondary.first(HaEvent.Kind.TOOK_OVER, stopped).nanos() - stopped) / 1_000_000);
                pair.startPrimary();
                long back = System.nanoTime();
                LoopbackPair.await(() -> pair.secondary.first(HaEvent.Kind.STOOD_DOWN, back) != null,
                        10L * interval + 5000);
            }
        }
        List<Long> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "interval %d ms, timeout %d ms, %d rounds: takeover min %d ms, median %d ms, "
                + "p95 %d ms, max %d ms (bound interval+250 = %d ms)%n", interval,
                interval + Math.min(interval, HaSettings.MAX_JITTER_ALLOWANCE_MS), rounds, sorted.get(0),
                sorted.get(sorted.size() / 2), sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1),
                sorted.get(sorted.size() - 1), interval + 250);
    }
}
