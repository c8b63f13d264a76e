package org.callrec.core.internal.mode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.callrec.api.mode.IntegrationMode;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;

/**
 * A bundle that declares {@code callrec.mode} capabilities, with the modes it belongs to.
 *
 * @param bundle the bundle
 * @param modes the mode ids it declares
 */
record ModeBundle(Bundle bundle, Set<String> modes) {

    /** Finds the mode bundles among the installed ones. */
    static List<ModeBundle> find(Bundle[] bundles) {
        List<ModeBundle> found = new ArrayList<>();
        for (Bundle b : bundles) {
            BundleRevision rev = b.adapt(BundleRevision.class);
            if (rev == null) {
                continue; // uninstalled meanwhile
            }
            Set<String> modes = new TreeSet<>();
            for (BundleCapability cap : rev.getDeclaredCapabilities(IntegrationMode.CAPABILITY_NAMESPACE)) {
                Object v = cap.getAttributes().get(IntegrationMode.CAPABILITY_NAMESPACE);
                if (v instanceof String s) {
                    modes.add(s);
                } else if (v instanceof Collection<?> c) {
                    c.forEach(x -> modes.add(String.valueOf(x)));
                }
            }
            if (!modes.isEmpty()) {
                found.add(new ModeBundle(b, modes));
            }
        }
        return found;
    }

    boolean belongsTo(IntegrationMode mode) {
        return modes.contains(mode.id());
    }

    String name() {
        return bundle.getSymbolicName();
    }
}
