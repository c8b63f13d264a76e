package org.callrec.capture.wave.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real TLS terminator in front of sipp's TCP port (Debian's sipp is built without TLS): socat
 * with OpenSSL, its certificate made here by openssl at test time. Also makes the certificates
 * the recorder is told to trust, or wrongly so.
 */
final class TlsFront implements AutoCloseable {

    final int port;
    private final Process socat;

    private TlsFront(int port, Process socat) {
        this.port = port;
        this.socat = socat;
    }

    /**
     * A self-signed certificate and its key.
     *
     * @param dir where the files go
     * @param name file name stem: name.crt (certificate), name.pem (certificate and key, for socat)
     * @param subject its subject, e.g. /CN=callrec test PBX
     * @param san its subjectAltName, e.g. IP:127.0.0.1
     * @return the certificate file
     */
    static Path certificate(Path dir, String name, String subject, String san) throws Exception {
        Sipp.requireTools("openssl");
        SpeechAudio.run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key",
                "-out", name + ".crt", "-days", "2", "-subj", subject, "-addext", "subjectAltName=" + san);
        Files.write(dir.resolve(name + ".pem"), concat(Files.readAllBytes(dir.resolve(name + ".crt")),
                Files.readAllBytes(dir.resolve(name + ".key"))));
        return dir.resolve(name + ".crt");
    }

    /** A PKCS12 trust store holding the certificate, made with keytool. */
    static Path trustStore(Path dir, Path certificate, String password) throws Exception {
        Path store = dir.resolve("trust.p12");
        SpeechAudio.run(dir, "keytool", "-importcert", "-noprompt", "-alias", "pbx", "-file", certificate.toString(),
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", password);
        return store;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /**
     * @param dir where name.pem is
     * @param name the server certificate's stem
     * @param tcpPort sipp's TCP port
     * @return the running terminator on a free port of 127.0.0.1
     */
    static TlsFront start(Path dir, String name, int tcpPort) throws Exception {
        Sipp.requireTools("socat");
        int port = Sipp.freeTcpPort();
        Process p = new ProcessBuilder(List.of("socat", "OPENSSL-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork,cert="
                + dir.resolve(name + ".pem") + ",verify=0", "TCP:127.0.0.1:" + tcpPort)).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("socat.out").toFile()).start();
        long until = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < until) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                break; // listening (this probe's failed handshake is socat's problem, not ours)
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        assertTrue(p.isAlive(), () -> "socat did not start: " + read(dir.resolve("socat.out")));
        return new TlsFront(port, p);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() {
        socat.destroy();
    }
}
