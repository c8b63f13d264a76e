package org.callrec.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Properties;

import javax.inject.Inject;
import javax.sql.DataSource;

import org.callrec.api.call.CallDirection;
import org.callrec.api.mode.IntegrationMode;
import org.callrec.api.storage.Recording;
import org.callrec.api.storage.RecordingMetadata;
import org.callrec.api.storage.RecordingStatus;
import org.callrec.api.storage.RecordingWriter;
import org.junit.Assume;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The shipped runtime switched to PostgreSQL by configuration alone (the DataSourceFactory the
 * PostgreSQL driver bundle registers): recordings land in the shared database. Uses the cluster
 * integration-tests/postgres-for-tests starts; absent under CI=true is a failure.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StoragePostgresIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return ShippedRuntime.options("storage-postgres");
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            String how = name + " is not set: run `eval \"$(integration-tests/postgres-for-tests)\"` first";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("PostgreSQL tests cannot run under CI: " + how);
            }
            Assume.assumeTrue("skipped: " + how, false);
        }
        return v;
    }

    @Test
    public void configurationAloneMovesTheCatalogToPostgres() throws Exception {
        String url = env("CALLREC_PG_URL");
        String user = env("CALLREC_PG_USER");
        String password = env("CALLREC_PG_PASSWORD");
        org.osgi.service.cm.Configuration c = configAdmin.getConfiguration("org.callrec.storage.catalog", "?");
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("dataSourceFactory.target", "(osgi.jdbc.driver.class=org.postgresql.Driver)");
        p.put("url", url);
        p.put("user", user);
        p.put("password", password);
        c.update(p);

        Collection<ServiceReference<DataSourceFactory>> pg = List.of();
        for (int i = 0; i < 300 && pg.isEmpty(); i++) {
            pg = context.getServiceReferences(DataSourceFactory.class, "(osgi.jdbc.driver.class=org.postgresql.Driver)");
            Thread.sleep(100);
        }
        assertTrue("the PostgreSQL driver bundle registers a DataSourceFactory", !pg.isEmpty());
        Properties props = new Properties();
        props.setProperty(DataSourceFactory.JDBC_URL, url);
        props.setProperty(DataSourceFactory.JDBC_USER, user);
        props.setProperty(DataSourceFactory.JDBC_PASSWORD, password);
        DataSource db = context.getService(pg.iterator().next()).createDataSource(props);

        ServiceTracker<RecordingWriter, RecordingWriter> t = new ServiceTracker<>(context, RecordingWriter.class, null);
        t.open();
        RecordingWriter writer = t.waitForService(30_000);
        assertNotNull(writer);
        Thread.sleep(1000); // the catalog component restarts with the new configuration
        Recording r = writer.open(new RecordingMetadata("pg-it-call", List.of(), "2002", "bob", null, null,
                CallDirection.OUTBOUND, Instant.now(), 1, IntegrationMode.SHORETEL_TAPI_WAVE, "it-server", null));
        r.channel(0).pcm(0, new short[8000], 0, 8000);
        r.close(RecordingStatus.COMPLETE, null);

        String status = null;
        for (int i = 0; i < 300 && !"complete".equals(status); i++) {
            Thread.sleep(100);
            try (Connection conn = db.getConnection();
                    PreparedStatement q = conn.prepareStatement("SELECT status FROM recording WHERE id = ?")) {
                q.setString(1, r.id());
                try (ResultSet rs = q.executeQuery()) {
                    status = rs.next() ? rs.getString(1) : null;
                }
            } catch (java.sql.SQLException notYet) {
                // the schema appears when the catalog first connects
            }
        }
        assertEquals("complete", status);
    }
}
