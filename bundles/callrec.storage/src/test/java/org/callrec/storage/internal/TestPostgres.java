package org.callrec.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.osgi.service.jdbc.DataSourceFactory;

/**
 * The PostgreSQL that integration-tests/run-tests starts (integration-tests/postgres-for-tests):
 * its connection comes from CALLREC_PG_URL, _USER, _PASSWORD and the command that stops and starts
 * it from CALLREC_PG_CTL. Absent under CI=true is a failure; elsewhere the tests say they are skipped.
 */
final class TestPostgres {

    private TestPostgres() {
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            String how = name + " is not set: run `eval \"$(integration-tests/postgres-for-tests)\"` first"
                    + " (integration-tests/run-tests does)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("PostgreSQL tests cannot run under CI: " + how);
            }
            Assumptions.abort("PostgreSQL tests skipped: " + how);
        }
        return v;
    }

    static Properties connection() {
        Properties p = new Properties();
        p.setProperty(DataSourceFactory.JDBC_URL, env("CALLREC_PG_URL"));
        p.setProperty(DataSourceFactory.JDBC_USER, env("CALLREC_PG_USER"));
        p.setProperty(DataSourceFactory.JDBC_PASSWORD, env("CALLREC_PG_PASSWORD"));
        // an outage must fail calls quickly, not hang the catalog thread
        p.setProperty("connectTimeout", "3");
        p.setProperty("socketTimeout", "10");
        return p;
    }

    /** Runs {@code pg_ctl stop} or {@code start} on the test cluster. */
    static void control(String action) throws Exception {
        String cmd = env("CALLREC_PG_CTL") + " " + action + ("stop".equals(action) ? " -m fast" : "");
        Process p = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            fail("pg_ctl " + action + " hangs");
        }
        assertEquals(0, p.exitValue(), "pg_ctl " + action + ": " + out);
    }
}
