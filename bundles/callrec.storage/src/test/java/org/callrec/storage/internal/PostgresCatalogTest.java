package org.callrec.storage.internal;

import java.util.Properties;

import org.osgi.service.jdbc.DataSourceFactory;
import org.postgresql.osgi.PGDataSourceFactory;

/** The same catalog contract on a real PostgreSQL (started by integration-tests/postgres-for-tests). */
class PostgresCatalogTest extends CatalogContract {

    @Override
    DataSourceFactory factory() {
        return new PGDataSourceFactory();
    }

    @Override
    Properties connection() {
        return TestPostgres.connection();
    }
}
