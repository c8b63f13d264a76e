package org.callrec.console.internal;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.context.ServletContextHelper;

/**
 * The servlet context of the REST API under {@code /callrec}: every request must pass the
 * console's own login, so the API is exactly as protected as the console.
 */
@Component(service = ServletContextHelper.class, property = {
    "osgi.http.whiteboard.context.name=" + ApiContext.NAME,
    "osgi.http.whiteboard.context.path=/callrec"})
public final class ApiContext extends ServletContextHelper {

    static final String NAME = "callrec-api";

    @Reference(target = "(" + SecurityProvider.PROPERTY_ID + "=" + ConsoleLogin.PROVIDER_ID + ")")
    private SecurityProvider login;

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object user = login.authenticate(request, response);
        if (user == null) {
            return false; // the provider has sent the 401 challenge
        }
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-store");
        return true;
    }
}
