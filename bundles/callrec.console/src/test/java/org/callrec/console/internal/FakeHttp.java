package org.callrec.console.internal;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Just enough of a servlet request and response to drive a servlet's doGet/doPost in a unit test. */
final class FakeHttp {

    final Map<String, String> parameters = new HashMap<>();
    final Map<String, String> requestHeaders = new HashMap<>();
    final Map<String, String> responseHeaders = new HashMap<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    String pathInfo;
    String user = "admin";
    int status = 200;
    String contentType;

    HttpServletRequest request() {
        return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> switch (m.getName()) {
                    case "getPathInfo" -> pathInfo;
                    case "getParameter" -> parameters.get((String) a[0]);
                    case "getHeader" -> requestHeaders.get((String) a[0]);
                    case "getRemoteUser" -> user;
                    case "getRemoteAddr" -> "127.0.0.1";
                    case "getAttribute" -> null;
                    default -> throw new UnsupportedOperationException("fake request: " + m.getName());
                });
    }

    HttpServletResponse response() {
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void write(int b) {
                body.write(b);
            }
        };
        return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "setStatus" -> status = (Integer) a[0];
                        case "setContentType" -> contentType = (String) a[0];
                        case "setHeader" -> responseHeaders.put((String) a[0], (String) a[1]);
                        case "getOutputStream" -> {
                            return out;
                        }
                        case "setCharacterEncoding", "setContentLength", "setContentLengthLong" -> {
                            // the body's length is what was written
                        }
                        default -> throw new UnsupportedOperationException("fake response: " + m.getName());
                    }
                    return null;
                });
    }

    String text() {
        return body.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Reads a DS-injected field (e.g. a multiple reference's list, to add services to it as SCR would). */
    static Object field(Object component, String field) throws ReflectiveOperationException {
        Field f = component.getClass().getDeclaredField(field);
        f.setAccessible(true);
        return f.get(component);
    }

    /** Sets a DS-injected field, as SCR would. */
    static void inject(Object component, String field, Object value) throws ReflectiveOperationException {
        Field f = component.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(component, value);
    }
}
