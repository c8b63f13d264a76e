package org.callrec.storage.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations for the catalog, in SQL that H2 and PostgreSQL both accept. Each
 * step runs once, in order, recorded in {@code callrec_schema}; a step is never edited once
 * released, a change is a new step. Several recording servers may start against one database at
 * once: the version row's primary key lets only one of them apply a step.
 */
final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    record Step(int version, String description, List<String> sql) {
    }

    static final List<Step> STEPS = List.of(
            new Step(1, "recordings, related calls, gaps, DTMF, counters", List.of(
                    "CREATE TABLE recording (id VARCHAR(41) PRIMARY KEY, call_id VARCHAR(200) NOT NULL,"
                            + " extension VARCHAR(64) NOT NULL, user_id VARCHAR(200), ani VARCHAR(64), dnis VARCHAR(64),"
                            + " direction VARCHAR(16) NOT NULL, start_ms BIGINT NOT NULL, end_ms BIGINT,"
                            + " duration_ms BIGINT NOT NULL, channels INT NOT NULL, rec_mode VARCHAR(32) NOT NULL,"
                            + " recording_server VARCHAR(200), ha_node VARCHAR(200), status VARCHAR(16) NOT NULL,"
                            + " status_reason VARCHAR(2000), codecs VARCHAR(200), legal_hold BOOLEAN DEFAULT FALSE NOT NULL,"
                            + " updated_ms BIGINT NOT NULL)",
                    "CREATE INDEX recording_start ON recording (start_ms)",
                    "CREATE INDEX recording_call ON recording (call_id)",
                    "CREATE INDEX recording_extension ON recording (extension)",
                    "CREATE INDEX recording_user ON recording (user_id)",
                    "CREATE INDEX recording_ani ON recording (ani)",
                    "CREATE INDEX recording_dnis ON recording (dnis)",
                    "CREATE INDEX recording_status ON recording (status)",
                    "CREATE TABLE recording_related_call (recording_id VARCHAR(41) NOT NULL REFERENCES recording (id)"
                            + " ON DELETE CASCADE, call_id VARCHAR(200) NOT NULL, PRIMARY KEY (recording_id, call_id))",
                    "CREATE INDEX related_call ON recording_related_call (call_id)",
                    "CREATE TABLE recording_gap (recording_id VARCHAR(41) NOT NULL REFERENCES recording (id)"
                            + " ON DELETE CASCADE, seq INT NOT NULL, channel INT NOT NULL, start_sample BIGINT NOT NULL,"
                            + " samples BIGINT NOT NULL, reason VARCHAR(32) NOT NULL, PRIMARY KEY (recording_id, seq))",
                    "CREATE TABLE recording_dtmf (recording_id VARCHAR(41) NOT NULL REFERENCES recording (id)"
                            + " ON DELETE CASCADE, seq INT NOT NULL, channel INT NOT NULL, digit VARCHAR(1) NOT NULL,"
                            + " start_sample BIGINT NOT NULL, duration_samples BIGINT NOT NULL, volume INT NOT NULL,"
                            + " PRIMARY KEY (recording_id, seq))",
                    "CREATE TABLE recording_counter (recording_id VARCHAR(41) NOT NULL REFERENCES recording (id)"
                            + " ON DELETE CASCADE, counter_name VARCHAR(100) NOT NULL, counter_value BIGINT NOT NULL,"
                            + " PRIMARY KEY (recording_id, counter_name))")));

    private Migrations() {
    }

    /** @return the schema version after migrating */
    static int migrate(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS callrec_schema (version INT PRIMARY KEY,"
                    + " description VARCHAR(200) NOT NULL, applied_ms BIGINT NOT NULL)");
        }
        int current = current(c);
        for (Step step : STEPS) {
            if (step.version() <= current) {
                continue;
            }
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // Claim the step first: a second server migrating at the same time fails here and rolls back
                try (PreparedStatement claim = c.prepareStatement(
                        "INSERT INTO callrec_schema (version, description, applied_ms) VALUES (?, ?, ?)")) {
                    claim.setInt(1, step.version());
                    claim.setString(2, step.description());
                    claim.setLong(3, System.currentTimeMillis());
                    claim.executeUpdate();
                }
                for (String sql : step.sql()) {
                    s.execute(sql);
                }
                c.commit();
                LOG.info("Catalog schema migrated to version {}: {}", step.version(), step.description());
            } catch (SQLException e) {
                c.rollback();
                if (current(c) >= step.version()) {
                    continue; // another server applied it meanwhile
                }
                throw new SQLException("catalog schema migration " + step.version() + " (" + step.description()
                        + ") failed: " + e.getMessage(), e);
            } finally {
                c.setAutoCommit(auto);
            }
        }
        return current(c);
    }

    static int current(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT MAX(version) FROM callrec_schema")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
