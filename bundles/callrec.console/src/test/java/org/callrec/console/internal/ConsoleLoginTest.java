package org.callrec.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleLoginTest {

    @TempDir
    Path dir;

    private static AuthConfig config(String user, String hash) {
        return new AuthConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AuthConfig.class;
            }

            @Override
            public String username() {
                return user;
            }

            @Override
            public String passwordHash() {
                return hash;
            }
        };
    }

    private static String basic(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void firstStartGeneratesPrintsOnceAndStoresOnlyTheHash() throws Exception {
        Path stored = dir.resolve("console/admin.pbkdf2");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        ConsoleLogin login = new ConsoleLogin();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            login.configure(config("admin", ""), stored, "http://127.0.0.1:8080/system/console", null);
        } finally {
            System.setOut(old);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("callrec console: http://127.0.0.1:8080/system/console"), printed);
        Matcher m = Pattern.compile("password: (\\S+)").matcher(printed);
        assertTrue(m.find(), printed);
        String password = m.group(1);
        assertEquals(20, password.length());
        String file = Files.readString(stored);
        assertFalse(file.contains(password), "the password itself is never stored");
        assertTrue(file.startsWith("pbkdf2-sha256$600000$"), file);

        assertEquals("admin", login.check(basic("admin", password)));
        assertNull(login.check(basic("admin", "admin")));
        assertNull(login.check(basic("root", password)));
        assertNull(login.check("!!not base64"));

        // a restart reads the stored hash and prints nothing
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        ConsoleLogin restarted = new ConsoleLogin();
        try {
            System.setOut(new PrintStream(again, true, StandardCharsets.UTF_8));
            restarted.configure(config("admin", ""), stored, "http://x", null);
        } finally {
            System.setOut(old);
        }
        assertEquals("", again.toString(StandardCharsets.UTF_8));
        assertEquals("admin", restarted.check(basic("admin", password)));
    }

    @Test
    void environmentPasswordWinsOverStoredAndMustNotBeWeak() throws Exception {
        Path stored = dir.resolve("admin.pbkdf2");
        ConsoleLogin login = new ConsoleLogin();
        login.configure(config("admin", ""), stored, "http://x", "correct horse battery");
        assertEquals("admin", login.check(basic("admin", "correct horse battery")));
        assertFalse(Files.exists(stored), "nothing generated when the environment sets the password");
        assertThrows(IllegalArgumentException.class, () -> login.configure(config("admin", ""), stored, "http://x", "admin"));
        assertThrows(IllegalArgumentException.class, () -> login.configure(config("admin", ""), stored, "http://x", "short"));
    }

    @Test
    void configuredHashIsUsed() throws Exception {
        String hash = PasswordHash.of("s3cret-enough").format();
        ConsoleLogin login = new ConsoleLogin();
        login.configure(config("ops", hash), dir.resolve("unused"), "http://x", "ignored-because-config-wins");
        assertEquals("ops", login.check(basic("ops", "s3cret-enough")));
        assertNull(login.check(basic("ops", "ignored-because-config-wins")));
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse("md5$abc"));
    }
}
