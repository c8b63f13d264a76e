package org.callrec.capture.wave.internal.sip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.callrec.api.rtp.PayloadFormat;

/**
 * The SDP of the Route Point call (RFC 4566, offer/answer RFC 3264): we offer to receive PCMU, PCMA
 * and G.729 (the PBX's codec list for recorded sites) and read which one the Route Point answered
 * with, and where its RTP comes from.
 */
public final class RouteSdp {

    /** The formats offered, in order of preference. */
    public static final List<PayloadFormat> OFFERED = List.of(PayloadFormat.PCMU, PayloadFormat.PCMA,
            PayloadFormat.G729);

    private RouteSdp() {
    }

    /**
     * The accepted answer.
     *
     * @param address the Route Point's media address
     * @param port its RTP port
     * @param format the codec it will send (the first acceptable one it listed)
     * @param formats every acceptable format it listed (it may switch among them)
     */
    public record Answer(String address, int port, PayloadFormat format, List<PayloadFormat> formats) {
    }

    /**
     * @param localAddress our media address
     * @param rtpPort our RTP port
     * @param sessionId the o= session id
     * @return the offer (receive only: the Route Point sends the call's audio to us)
     */
    public static String offer(String localAddress, int rtpPort, long sessionId) {
        String ip = localAddress.contains(":") ? "IP6" : "IP4";
        StringBuilder b = new StringBuilder();
        b.append("v=0\r\n");
        b.append("o=callrec ").append(sessionId).append(' ').append(sessionId).append(" IN ").append(ip).append(' ')
                .append(localAddress).append("\r\n");
        b.append("s=callrec Route Point\r\n");
        b.append("c=IN ").append(ip).append(' ').append(localAddress).append("\r\n");
        b.append("t=0 0\r\n");
        b.append("m=audio ").append(rtpPort).append(" RTP/AVP");
        OFFERED.forEach(f -> b.append(' ').append(f.payloadType()));
        b.append("\r\n");
        for (PayloadFormat f : OFFERED) {
            b.append("a=rtpmap:").append(f.payloadType()).append(' ').append(f.encoding()).append('/')
                    .append(f.clockRate()).append("\r\n");
        }
        b.append("a=fmtp:18 annexb=no\r\n");
        b.append("a=recvonly\r\n");
        return b.toString();
    }

    /**
     * Reads an answer.
     *
     * @param sdp the answer's body
     * @return the accepted stream
     * @throws IllegalArgumentException saying why it cannot be used (no audio, stream rejected, no
     *         offered codec, no address)
     */
    public static Answer parseAnswer(String sdp) {
        String sessionAddress = null;
        String mediaAddress = null;
        int port = -1;
        List<Integer> pts = null;
        Map<Integer, String> rtpmap = new LinkedHashMap<>();
        boolean inAudio = false;
        for (String raw : sdp.split("\r?\n")) {
            String line = raw.trim();
            if (line.length() < 2 || line.charAt(1) != '=') {
                continue;
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (type == 'm') {
                inAudio = false;
                String[] f = value.split("\\s+");
                if (f.length >= 3 && f[0].equals("audio") && pts == null) {
                    inAudio = true;
                    port = Integer.parseInt(f[1].split("/")[0]);
                    pts = new ArrayList<>();
                    for (int i = 3; i < f.length; i++) {
                        pts.add(Integer.parseInt(f[i]));
                    }
                }
            } else if (type == 'c') {
                String[] f = value.split("\\s+");
                String addr = f.length >= 3 ? f[2].split("/")[0] : null;
                if (inAudio) {
                    mediaAddress = addr;
                } else if (pts == null) {
                    sessionAddress = addr;
                }
            } else if (type == 'a' && inAudio && value.startsWith("rtpmap:")) {
                String[] f = value.substring(7).split("\\s+", 2);
                if (f.length == 2) {
                    rtpmap.put(Integer.parseInt(f[0]), f[1]);
                }
            }
        }
        if (pts == null) {
            throw new IllegalArgumentException("the SDP answer has no audio stream");
        }
        if (port == 0) {
            throw new IllegalArgumentException("the Route Point rejected the audio stream (m=audio port 0)");
        }
        String address = mediaAddress != null ? mediaAddress : sessionAddress;
        if (address == null) {
            throw new IllegalArgumentException("the SDP answer has no connection address (c=)");
        }
        List<PayloadFormat> accepted = new ArrayList<>();
        for (int pt : pts) {
            PayloadFormat f = format(pt, rtpmap.get(pt));
            if (f != null) {
                accepted.add(f);
            }
        }
        if (accepted.isEmpty()) {
            throw new IllegalArgumentException("the SDP answer lists none of the offered codecs (PCMU, PCMA, G729): "
                    + "payload types " + pts);
        }
        return new Answer(address, port, accepted.get(0), accepted);
    }

    private static PayloadFormat format(int pt, String rtpmap) {
        if (rtpmap == null) {
            return OFFERED.stream().filter(f -> f.payloadType() == pt).findFirst().orElse(null);
        }
        String[] f = rtpmap.split("/");
        String enc = f[0].trim().toUpperCase(Locale.ROOT);
        int rate = f.length > 1 ? Integer.parseInt(f[1].trim()) : 8000;
        for (PayloadFormat o : OFFERED) {
            if (o.encoding().equals(enc) && o.clockRate() == rate) {
                return new PayloadFormat(pt, enc, rate, 1, "");
            }
        }
        return null;
    }
}
