package org.callrec.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The runnable jar ships every bundle each mode's resolved feature needs, and the callrec bundles in
 * each mode's feature are exactly those declaring that mode's capability.
 */
class FeatureSetsIT {

    private static final Path RESOLVED = Paths.get(System.getProperty("callrec.features", "../features/target/resolved"));

    private static Set<String> runbundles(String bndrun) throws IOException {
        String text = Files.readString(RESOLVED.resolve(bndrun)).replace("\\\n", "");
        Matcher m = Pattern.compile("(?m)^-runbundles:(.*)$").matcher(text);
        assertTrue(m.find(), bndrun + " has no resolved -runbundles");
        Set<String> names = new TreeSet<>();
        for (String entry : m.group(1).split(",(?=[^']*('[^']*'[^']*)*$)")) {
            String name = entry.trim().split(";")[0].trim();
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    private static Set<String> shipped() throws IOException {
        Set<String> names = new TreeSet<>();
        for (File f : ShippedRuntime.shippedBundles()) {
            try (JarFile j = new JarFile(f)) {
                names.add(j.getManifest().getMainAttributes().getValue("Bundle-SymbolicName").split(";")[0].trim());
            }
        }
        return names;
    }

    private static Set<String> declaring(String mode) throws IOException {
        Set<String> names = new TreeSet<>();
        for (File f : ShippedRuntime.shippedBundles()) {
            try (JarFile j = new JarFile(f)) {
                String caps = j.getManifest().getMainAttributes().getValue("Provide-Capability");
                Matcher m = Pattern.compile("callrec\\.mode;callrec\\.mode(?::List<String>)?=\"?([^\";]*)").matcher(
                        caps == null ? "" : caps);
                if (m.find() && Set.of(m.group(1).split(",")).contains(mode)) {
                    names.add(j.getManifest().getMainAttributes().getValue("Bundle-SymbolicName").split(";")[0].trim());
                }
            }
        }
        return names;
    }

    @Test
    void everyResolvedFeatureIsShipped() throws IOException {
        Set<String> shipped = shipped();
        for (String f : new String[] {"base.bndrun", "shoretel-tapi.bndrun", "shoretel-tapi-wave.bndrun"}) {
            Set<String> missing = new TreeSet<>(runbundles(f));
            missing.removeAll(shipped);
            assertEquals(Set.of(), missing, f + " needs bundles the runnable jar lacks");
        }
    }

    @Test
    void modeFeaturesHoldExactlyTheirModeBundles() throws IOException {
        for (String mode : new String[] {"shoretel-tapi", "shoretel-tapi-wave"}) {
            Set<String> callrecInFeature = new TreeSet<>();
            for (String b : runbundles(mode + ".bndrun")) {
                if (b.startsWith("callrec.") && !b.equals("callrec.api") && !b.equals("callrec.core")
                        && !b.equals("callrec.console")) {
                    callrecInFeature.add(b);
                }
            }
            assertEquals(declaring(mode), callrecInFeature, mode);
        }
        assertEquals(Set.of("callrec.capture.mirror", "callrec.rtp", "callrec.sip", "callrec.storage", "callrec.tapi"), declaring("shoretel-tapi"));
        assertEquals(Set.of("callrec.capture.wave", "callrec.ha", "callrec.rtp", "callrec.sip", "callrec.storage", "callrec.tapi"),
                declaring("shoretel-tapi-wave"));
    }
}
