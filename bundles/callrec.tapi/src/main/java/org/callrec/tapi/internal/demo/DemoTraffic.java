package org.callrec.tapi.internal.demo;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.callrec.api.call.CallEvent;
import org.callrec.api.call.CallEventListener;
import org.callrec.api.directory.User;
import org.callrec.api.directory.UserDirectory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's phones: while a scripted call of a demo user is connected (and not on hold), both
 * parties send G.711 μ-law RTP every 20 ms on the loopback interface, the user from the endpoint
 * address configured for them, the other party from the far address, each a different tone, so
 * the port-mirror capture on {@code lo} finds and records both directions. Runs only with its
 * configuration, which only the demo command writes.
 */
@Component(configurationPid = "org.callrec.tapi.demo", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = DemoConfig.class)
public final class DemoTraffic implements CallEventListener {

    private static final Logger LOG = LoggerFactory.getLogger(DemoTraffic.class);

    @Reference
    private UserDirectory users;

    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final AtomicInteger nextPort = new AtomicInteger();
    private ScheduledExecutorService clock;
    private InetAddress far;
    private int firstPort;
    /** What each side says, looped with a pause; null means tones. */
    private short[] userVoice;
    private short[] farVoice;

    /** One demo call: two RTP senders (user and far end), a tone each. */
    private final class Call {
        final DatagramSocket userSocket;
        final DatagramSocket farSocket;
        final InetSocketAddress toFar;
        final InetSocketAddress toUser;
        final ScheduledFuture<?> tick;
        final int ssrcUser = (int) (Math.random() * Integer.MAX_VALUE);
        final int ssrcFar = ssrcUser ^ 0x5A5A5A5A;
        volatile boolean held;
        int seq;
        long samples;

        Call(InetAddress userIp, int port) throws IOException {
            userSocket = new DatagramSocket(new InetSocketAddress(userIp, port));
            farSocket = new DatagramSocket(new InetSocketAddress(far, port + 2));
            toFar = new InetSocketAddress(far, port + 2);
            toUser = new InetSocketAddress(userIp, port);
            tick = clock.scheduleAtFixedRate(this::send, 0, 20, TimeUnit.MILLISECONDS);
        }

        private void send() {
            if (held) {
                samples += 160;
                return;
            }
            try {
                userSocket.send(packet(ssrcUser, 440, userVoice, toFar));
                farSocket.send(packet(ssrcFar, 660, farVoice, toUser));
                seq++;
                samples += 160;
            } catch (IOException e) {
                LOG.warn("Demo traffic: cannot send RTP: {}", e.getMessage());
            }
        }

        private DatagramPacket packet(int ssrc, double hz, short[] voice, InetSocketAddress to) {
            byte[] b = new byte[12 + 160];
            b[0] = (byte) 0x80; // V=2
            b[1] = 0; // PT 0 = PCMU
            b[2] = (byte) (seq >> 8);
            b[3] = (byte) seq;
            long ts = samples;
            b[4] = (byte) (ts >> 24);
            b[5] = (byte) (ts >> 16);
            b[6] = (byte) (ts >> 8);
            b[7] = (byte) ts;
            b[8] = (byte) (ssrc >> 24);
            b[9] = (byte) (ssrc >> 16);
            b[10] = (byte) (ssrc >> 8);
            b[11] = (byte) ssrc;
            for (int i = 0; i < 160; i++) {
                long n = samples + i;
                if (voice != null) {
                    // the sentence, then as long a pause, so the two sides take turns
                    long at = n % (2L * voice.length);
                    b[12 + i] = ulaw(at < voice.length ? voice[(int) at] : 0);
                } else {
                    double t = n / 8000.0;
                    // a tone that pauses every other second, so a listener hears turns
                    double level = ((long) t) % 2 == 0 ? 6000 : 0;
                    b[12 + i] = ulaw((int) (level * Math.sin(2 * Math.PI * hz * t)));
                }
            }
            return new DatagramPacket(b, b.length, to);
        }

        void close() {
            tick.cancel(false);
            userSocket.close();
            farSocket.close();
        }
    }

    @Activate
    void activate(DemoConfig config) throws IOException {
        far = InetAddress.getByName(config.farAddress());
        firstPort = config.firstPort() & ~1;
        if ("speech".equals(config.audio())) {
            userVoice = DemoVoice.speak("Hello, this is the demo user speaking on the recorded phone.").orElse(null);
            farVoice = DemoVoice.speak("And this is the other party, answering from outside.").orElse(null);
            if (userVoice == null || farVoice == null) {
                userVoice = null;
                farVoice = null;
                LOG.info("Demo traffic: espeak-ng is not available; the demo phones play tones");
            }
        }
        clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "callrec-demo-rtp");
            t.setDaemon(true);
            return t;
        });
        LOG.info("Demo traffic: scripted calls of demo users send RTP on loopback (far end {})", far.getHostAddress());
    }

    @Deactivate
    void deactivate() {
        calls.values().forEach(Call::close);
        calls.clear();
        clock.shutdownNow();
    }

    @Override
    public void onCallEvent(CallEvent e) {
        String key = e.extension() + "/" + e.callId();
        switch (e.type()) {
            case CONNECTED -> start(key, e);
            case ON_HOLD -> Optional.ofNullable(calls.get(key)).ifPresent(c -> c.held = true);
            case RESUMED -> Optional.ofNullable(calls.get(key)).ifPresent(c -> c.held = false);
            case DISCONNECTED, IDLE -> Optional.ofNullable(calls.remove(key)).ifPresent(Call::close);
            default -> {
                // ringing and the rest carry no audio
            }
        }
    }

    private void start(String key, CallEvent e) {
        Optional<User> u = users.byExtension(e.extension());
        if (u.isEmpty() || u.get().endpointIp() == null || calls.containsKey(key)) {
            return;
        }
        try {
            InetAddress ip = InetAddress.getByName(u.get().endpointIp());
            if (!ip.isLoopbackAddress()) {
                return; // a demo never sends from a real phone's address
            }
            int port = firstPort + (nextPort.getAndAdd(4) % 8000);
            calls.put(key, new Call(ip, port));
        } catch (IOException ex) {
            LOG.warn("Demo traffic for call {} on ext {}: {}", e.callId(), e.extension(), ex.getMessage());
        }
    }

    /** ITU-T G.711 μ-law encoding of one 16-bit sample (bias 0x84, segments by the top set bit). */
    static byte ulaw(int sample) {
        int sign = sample < 0 ? 0x80 : 0;
        int magnitude = Math.min(Math.abs(sample), 32635) + 0x84;
        int exponent = 7;
        for (int mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (magnitude >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }
}
