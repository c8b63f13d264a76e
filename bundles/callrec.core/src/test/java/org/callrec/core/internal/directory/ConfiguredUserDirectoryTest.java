package org.callrec.core.internal.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.callrec.api.directory.User;
import org.callrec.api.health.HealthStatus;
import org.junit.jupiter.api.Test;

class ConfiguredUserDirectoryTest {

    @Test
    void extensionOwnedByTwoUsersStaysWithTheFirst() {
        ConfiguredUserDirectory d = new ConfiguredUserDirectory();
        d.put(1, new User("a", "Alice", "alice", true, "", "2001", List.of("2901"), "10.0.0.51"));
        List<String> conflicts = d.put(2, new User("b", "Bob", "bob", true, "", "2002", List.of("2901"), null));
        assertEquals(1, conflicts.size());
        assertTrue(conflicts.get(0).startsWith("extension 2901 of user 'Bob' (b) already belongs to user 'Alice' (a)"));
        assertEquals("a", d.byExtension("2901").orElseThrow().id());
        assertTrue(d.byExtension("2002").isEmpty(), "the conflicting user is left out");
        assertEquals(HealthStatus.WARNING, d.check().status());
    }

    @Test
    void endpointLookupNormalisesIpv6() {
        ConfiguredUserDirectory d = new ConfiguredUserDirectory();
        d.put(1, new User("a", "Alice", "alice", true, "", "2001", List.of(), UserValidation.normaliseIp("2001:db8::51")));
        assertEquals("a", d.byEndpointIp("2001:DB8:0:0::51").orElseThrow().id());
        assertTrue(d.byEndpointIp("not-an-ip").isEmpty());
        assertEquals(HealthStatus.OK, d.check().status());
    }

    @Test
    void validationNamesFieldValueAndRule() {
        assertEquals(List.of("extension: '20a1' is not valid; allowed: 1-15 digits",
                "additionalExtensions: '' is not valid; allowed: 1-15 digits",
                "endpointIp: '10.0.0.256' is not valid; allowed: an IPv4 or IPv6 address"),
                UserValidation.problems("20a1", new String[] {""}, "10.0.0.256"));
        assertEquals(List.of(), UserValidation.problems("2001", new String[] {"2901"}, "::1"));
        assertNull(UserValidation.normaliseIp("example.com"), "names are never looked up");
    }
}
