package org.callrec.capture.wave.internal.sip;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PBX Route Point behind the SIP user agent seam: answers each INVITE as scripted (challenge,
 * busy, 200 with SDP, silence) from its own thread, and once answered streams PCMU RTP from a real
 * UDP socket on loopback to the port our offer named.
 */
final class ScriptedRoutePointPeer implements SipUserAgent {

    final List<String> received = Collections.synchronizedList(new ArrayList<>());
    final List<String> script = new ArrayList<>();
    volatile int rtpPackets = 50;
    volatile boolean sendRtp = true;
    private final ExecutorService peer = Executors.newSingleThreadExecutor();
    private volatile Events dialog;
    volatile int offeredPort;
    volatile Thread streamer;

    /** The next INVITE gets this answer: "401", "486", "404", "200", "silent". */
    ScriptedRoutePointPeer then(String answer) {
        script.add(answer);
        return this;
    }

    @Override
    public String localAddress() {
        return "127.0.0.1";
    }

    @Override
    public Call newCall(String requestUri, String sdpOffer, Events events) {
        dialog = events;
        Matcher m = Pattern.compile("m=audio (\\d+) ").matcher(sdpOffer);
        if (!m.find()) {
            throw new AssertionError("offer without audio: " + sdpOffer);
        }
        offeredPort = Integer.parseInt(m.group(1));
        received.add("dialog " + requestUri);
        return new Call() {
            @Override
            public void sendInvite(int cseq, String authHeader, String authValue) {
                received.add("INVITE " + cseq + (authHeader == null ? "" : " " + authHeader));
                String answer = script.isEmpty() ? "200" : script.remove(0);
                peer.execute(() -> answer(answer));
            }

            @Override
            public void sendAck(int cseq) {
                received.add("ACK " + cseq);
                if (sendRtp) {
                    stream();
                }
            }

            @Override
            public void sendCancel() {
                received.add("CANCEL");
                peer.execute(() -> dialog.response(487, "Request Terminated", null, null));
            }

            @Override
            public void sendBye() {
                received.add("BYE");
                Thread t = streamer;
                if (t != null) {
                    t.interrupt();
                }
            }
        };
    }

    private void answer(String answer) {
        dialog.response(100, "Trying", null, null);
        switch (answer) {
            case "401" -> dialog.response(401, "Unauthorized", "Digest realm=\"pbx\", nonce=\"abc\", qop=\"auth\"", null);
            case "486" -> dialog.response(486, "Busy Here", null, null);
            case "404" -> dialog.response(404, "Not Found", null, null);
            case "silent" -> dialog.response(180, "Ringing", null, null);
            default -> dialog.response(200, "OK", null, "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
                    + "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 7000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n");
        }
    }

    /** PCMU, 20 ms per packet, payload byte = sequence number, so the receiver can check order. */
    private void stream() {
        Thread t = new Thread(() -> {
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                for (int seq = 0; seq < rtpPackets && !Thread.currentThread().isInterrupted(); seq++) {
                    byte[] pkt = new byte[12 + 160];
                    pkt[0] = (byte) 0x80;
                    pkt[1] = 0; // PCMU
                    pkt[2] = (byte) (seq >> 8);
                    pkt[3] = (byte) seq;
                    int ts = seq * 160;
                    pkt[4] = (byte) (ts >>> 24);
                    pkt[5] = (byte) (ts >>> 16);
                    pkt[6] = (byte) (ts >>> 8);
                    pkt[7] = (byte) ts;
                    pkt[11] = 0x42;
                    java.util.Arrays.fill(pkt, 12, pkt.length, (byte) seq);
                    s.send(new DatagramPacket(pkt, pkt.length, InetAddress.getLoopbackAddress(), offeredPort));
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }, "scripted-route-point-rtp");
        streamer = t;
        t.start();
    }

    /** The PBX hangs the Route Point up. */
    void bye() {
        Thread t = streamer;
        if (t != null) {
            t.interrupt();
        }
        peer.execute(() -> dialog.byeReceived());
    }

    void shutdown() {
        Thread t = streamer;
        if (t != null) {
            t.interrupt();
        }
        peer.shutdownNow();
    }
}
