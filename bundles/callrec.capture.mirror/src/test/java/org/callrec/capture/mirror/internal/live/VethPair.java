package org.callrec.capture.mirror.internal.live;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A veth pair whose far end lives in a network namespace made for the test: traffic replayed into
 * the far end arrives on the near end, where the capture listens, as it would from a mirror port.
 * Names are unique per instance (crm-&lt;random&gt;) and everything is removed on close. Needs root.
 */
public final class VethPair implements AutoCloseable {

    private final String namespace;
    private final String near;
    private final String far;

    private VethPair(String id) {
        this.namespace = "crm-" + id;
        this.near = "crm" + id + "a";
        this.far = "crm" + id + "b";
    }

    /**
     * Creates the namespace and the pair, both ends up, IPv6 off so the kernel sends nothing of its own.
     *
     * @return the pair
     * @throws IOException if a command fails (the message has its output)
     */
    public static VethPair create() throws IOException, InterruptedException {
        VethPair v = new VethPair(Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL));
        try {
            run("ip", "netns", "add", v.namespace);
            run("ip", "link", "add", v.near, "type", "veth", "peer", "name", v.far);
            run("ip", "link", "set", v.far, "netns", v.namespace);
            run("sysctl", "-q", "-w", "net.ipv6.conf." + v.near + ".disable_ipv6=1");
            run("ip", "netns", "exec", v.namespace, "sysctl", "-q", "-w", "net.ipv6.conf." + v.far + ".disable_ipv6=1");
            run("ip", "link", "set", v.near, "up");
            run("ip", "netns", "exec", v.namespace, "ip", "link", "set", v.far, "up");
            run("ip", "netns", "exec", v.namespace, "ip", "link", "set", "lo", "up");
        } catch (IOException | InterruptedException e) {
            v.close();
            throw e;
        }
        return v;
    }

    /** @return the end the capture listens on */
    public String near() {
        return near;
    }

    /** @return the end in the namespace, where the sender sends */
    public String far() {
        return far;
    }

    /**
     * Runs a command inside the far end's namespace.
     *
     * @return its output
     */
    public String exec(String... cmd) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        all.addAll(Arrays.asList(cmd));
        return run(all.toArray(String[]::new));
    }

    /**
     * Replays a capture file into the far end with tcpreplay.
     *
     * @param pcap the file
     * @param rate tcpreplay's rate options, e.g. "--pps=20000" or "--topspeed"
     * @return tcpreplay's output
     */
    public String replay(Path pcap, String... rate) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "tcpreplay", "-q", "-i", far));
        cmd.addAll(Arrays.asList(rate));
        cmd.add(pcap.toString());
        return run(cmd.toArray(String[]::new));
    }

    @Override
    public void close() {
        try {
            run("ip", "link", "del", near);
        } catch (IOException | InterruptedException e) {
            // gone already with the namespace, or never made
        }
        try {
            run("ip", "netns", "del", namespace);
        } catch (IOException | InterruptedException e) {
            System.err.println("could not remove namespace " + namespace + ": " + e.getMessage());
        }
    }

    /**
     * Runs a command, failing with its output if it exits non-zero or takes over 2 minutes.
     *
     * @return its output
     */
    public static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": timed out");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + ": exit " + p.exitValue() + ": " + out.strip());
        }
        return out;
    }
}
