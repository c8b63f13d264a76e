package org.callrec.storage.internal;

import java.util.Properties;

import org.h2.util.OsgiDataSourceFactory;
import org.osgi.service.jdbc.DataSourceFactory;

/** The catalog contract on embedded H2, the default (a file database, as in production). */
class H2CatalogTest extends CatalogContract {

    @Override
    DataSourceFactory factory() {
        return new OsgiDataSourceFactory(new org.h2.Driver());
    }

    @Override
    Properties connection() {
        Properties p = new Properties();
        p.setProperty(DataSourceFactory.JDBC_URL, "jdbc:h2:file:" + tmp.resolve("catalog").resolve("callrec"));
        return p;
    }
}
