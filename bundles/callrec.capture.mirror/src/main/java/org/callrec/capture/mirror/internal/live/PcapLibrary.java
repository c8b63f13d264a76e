package org.callrec.capture.mirror.internal.live;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Points pcap4j at libpcap. pcap4j loads "pcap" by default, which needs the -dev package's
 * unversioned libpcap.so; Debian's runtime package has only libpcap.so.0.8, so the full path is
 * given through pcap4j's system property before its native mappings load.
 */
final class PcapLibrary {

    /** pcap4j's system property naming the library. */
    static final String PROPERTY = "org.pcap4j.core.pcapLibName";

    private static final List<String> CANDIDATES = List.of(
            "/usr/lib/x86_64-linux-gnu/libpcap.so.0.8",
            "/usr/lib/aarch64-linux-gnu/libpcap.so.0.8",
            "/usr/lib/i386-linux-gnu/libpcap.so.0.8",
            "/usr/lib/libpcap.so.0.8",
            "/usr/lib64/libpcap.so.1",
            "/usr/lib/libpcap.so.1");

    private PcapLibrary() {
    }

    /**
     * Sets the property once, before pcap4j loads: the configured path, or else the first
     * versioned libpcap found. A value already set (e.g. -D on the command line) wins.
     *
     * @param configured a configured library path, or empty
     * @return the library pcap4j will load
     */
    static synchronized String configure(String configured) {
        String current = System.getProperty(PROPERTY);
        if (current != null && !current.isBlank()) {
            return current;
        }
        if (configured != null && !configured.isBlank()) {
            System.setProperty(PROPERTY, configured);
            return configured;
        }
        for (String candidate : CANDIDATES) {
            if (Files.isReadable(Path.of(candidate))) {
                System.setProperty(PROPERTY, candidate);
                return candidate;
            }
        }
        return "pcap (pcap4j default)";
    }
}
