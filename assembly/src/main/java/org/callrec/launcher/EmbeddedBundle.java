package org.callrec.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

/**
 * A bundle jar shipped inside the runnable jar under {@code bundles/}.
 *
 * @param entry the entry name
 * @param symbolicName its Bundle-SymbolicName (without directives)
 */
record EmbeddedBundle(String entry, String symbolicName) {

    static List<EmbeddedBundle> list(JarFile jar) throws IOException {
        List<EmbeddedBundle> found = new ArrayList<>();
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
            JarEntry entry = e.nextElement();
            if (!entry.isDirectory() && entry.getName().startsWith("bundles/") && entry.getName().endsWith(".jar")) {
                try (InputStream in = jar.getInputStream(entry); JarInputStream bundle = new JarInputStream(in)) {
                    Manifest mf = bundle.getManifest();
                    Attributes main = mf == null ? new Attributes() : mf.getMainAttributes();
                    String bsn = main.getValue("Bundle-SymbolicName");
                    if (bsn == null) {
                        throw new IOException(entry.getName() + " is not an OSGi bundle (no Bundle-SymbolicName)");
                    }
                    found.add(new EmbeddedBundle(entry.getName(), bsn.split(";")[0].trim()));
                }
            }
        }
        Collections.sort(found, (a, b) -> a.entry.compareTo(b.entry));
        return found;
    }
}
