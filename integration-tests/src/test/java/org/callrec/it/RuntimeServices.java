package org.callrec.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.callrec.api.health.HealthCheck;
import org.callrec.api.health.HealthReport;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/** Lookups the Pax Exam tests share: a service awaited, the reports of the health checks running now. */
final class RuntimeServices {

    private RuntimeServices() {
    }

    /** Waits up to 30 s for a service; fails naming it. */
    static <T> T await(BundleContext context, Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> t = new ServiceTracker<>(context, type, null);
        t.open();
        T s = t.waitForService(30_000);
        if (s == null) {
            throw new AssertionError(type.getSimpleName() + " not registered within 30 s");
        }
        return s;
    }

    /**
     * The report of the first health check whose name matches. A check listed a moment ago may be
     * gone when fetched (components come and go while the start-up mode switch runs): it is skipped.
     */
    static Optional<HealthReport> health(BundleContext context, Predicate<String> name) {
        return healthWhere(context, h -> name.test(h.check()));
    }

    /** The first health report that matches, skipping checks gone when fetched (as {@link #health}). */
    static Optional<HealthReport> healthWhere(BundleContext context, Predicate<HealthReport> wanted) {
        try {
            for (ServiceReference<HealthCheck> r : context.getServiceReferences(HealthCheck.class, null)) {
                HealthCheck c = context.getService(r);
                if (c == null) {
                    continue;
                }
                try {
                    HealthReport h = c.check();
                    if (wanted.test(h)) {
                        return Optional.of(h);
                    }
                } finally {
                    context.ungetService(r);
                }
            }
            return Optional.empty();
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names of the health checks running now, for failure messages. */
    static List<String> healthNames(BundleContext context) {
        List<String> names = new ArrayList<>();
        health(context, n -> {
            names.add(n);
            return false;
        });
        return names;
    }
}
