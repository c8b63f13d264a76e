package org.callrec.storage.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "callrec: recordings catalog",
        description = "The catalog database: embedded H2 under <callrec.data>/catalog by default; PostgreSQL lets"
                + " several recording servers share one catalog.")
@interface CatalogConfig {

    @AttributeDefinition(name = "JDBC driver",
            description = "Which registered DataSourceFactory to use, as an OSGi filter: (osgi.jdbc.driver.class=org.h2.Driver)"
                    + " or (osgi.jdbc.driver.class=org.postgresql.Driver).")
    String dataSourceFactory_target() default "(osgi.jdbc.driver.class=org.h2.Driver)";

    @AttributeDefinition(name = "JDBC URL",
            description = "e.g. jdbc:postgresql://db.example:5432/callrec; empty = the embedded H2 file database.")
    String url() default "";

    @AttributeDefinition(name = "User", description = "Database user (empty for the embedded database).")
    String user() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, description = "Database password.")
    String password() default "";
}
