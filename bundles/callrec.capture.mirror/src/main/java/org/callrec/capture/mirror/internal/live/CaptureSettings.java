package org.callrec.capture.mirror.internal.live;

import java.util.Objects;

/**
 * How to open the capture NIC.
 *
 * @param nic interface name, e.g. eth1
 * @param promiscuous capture frames not addressed to this host (a mirror port needs it)
 * @param snapLength bytes captured per frame
 * @param bufferBytes kernel capture buffer size
 * @param readTimeoutMillis how long the kernel may hold packets before handing a batch over
 * @param filter BPF filter expression (pcap-filter(7))
 */
public record CaptureSettings(String nic, boolean promiscuous, int snapLength, int bufferBytes, int readTimeoutMillis,
        String filter) {

    /** Validates the settings, naming what is wrong. */
    public CaptureSettings {
        Objects.requireNonNull(nic, "nic");
        Objects.requireNonNull(filter, "filter");
        if (nic.isBlank()) {
            throw new IllegalArgumentException("no capture NIC configured");
        }
        if (snapLength < 128 || snapLength > 262_144) {
            throw new IllegalArgumentException("snap length " + snapLength + " is outside 128-262144 bytes");
        }
        if (bufferBytes < 1 << 20) {
            throw new IllegalArgumentException("kernel buffer " + bufferBytes + " bytes is below 1 MiB");
        }
        if (readTimeoutMillis < 1 || readTimeoutMillis > 1000) {
            throw new IllegalArgumentException("read timeout " + readTimeoutMillis + " ms is outside 1-1000 ms");
        }
    }
}
