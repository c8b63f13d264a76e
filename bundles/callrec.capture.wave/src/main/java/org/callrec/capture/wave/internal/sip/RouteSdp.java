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
        return offer(localAddress, rtpPort, sessionId, sessionId);
    }

    /**
     * @param localAddress our media address
     * @param rtpPort our RTP port
     * @param sessionId the o= session id
     * @param version the o= session version (RFC 3264 8: one more for each new SDP of the session)
     * @return the offer (receive only)
     */
    public static String offer(String localAddress, int rtpPort, long sessionId, long version) {
        StringBuilder b = head(localAddress, sessionId, version);
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

    private static StringBuilder head(String localAddress, long sessionId, long version) {
        String ip = localAddress.contains(":") ? "IP6" : "IP4";
        StringBuilder b = new StringBuilder();
        b.append("v=0\r\n");
        b.append("o=callrec ").append(sessionId).append(' ').append(version).append(" IN ").append(ip).append(' ')
                .append(localAddress).append("\r\n");
        b.append("s=callrec Route Point\r\n");
        b.append("c=IN ").append(ip).append(' ').append(localAddress).append("\r\n");
        b.append("t=0 0\r\n");
        return b;
    }

    /**
     * The PBX's offer in a re-INVITE.
     *
     * @param port its RTP port (0: the stream is removed)
     * @param formats the offered formats we can decode, in its order
     * @param direction sendrecv, sendonly, recvonly or inactive (media level over session level)
     * @param holdAddress the connection address is 0.0.0.0 (RFC 2543 hold, RFC 3264 8.4)
     */
    public record Offer(int port, List<PayloadFormat> formats, String direction, boolean holdAddress) {

        /** @return true if the PBX will send us audio under this offer */
        public boolean sends() {
            return port != 0 && !holdAddress && ("sendrecv".equals(direction) || "sendonly".equals(direction));
        }
    }

    /**
     * Reads an offer of the PBX (re-INVITE) or an answer's direction.
     *
     * @param sdp the body
     * @return what it offers
     * @throws IllegalArgumentException if it has no audio stream or none of our codecs
     */
    public static Offer parseOffer(String sdp) {
        String sessionAddress = null;
        String mediaAddress = null;
        String sessionDir = "sendrecv";
        String mediaDir = null;
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
            String value = line.substring(2).trim();
            if (type == 'm') {
                inAudio = false;
                String[] f = value.split("\\s+");
                if (f.length >= 3 && f[0].equals("audio") && pts == null) {
                    inAudio = true;
                    port = number("m=audio port", f[1].split("/")[0]);
                    pts = new ArrayList<>();
                    for (int i = 3; i < f.length; i++) {
                        pts.add(number("payload type", f[i]));
                    }
                } else if (pts != null) {
                    break;
                }
            } else if (type == 'c') {
                String[] f = value.split("\\s+");
                String addr = f.length >= 3 ? f[2].split("/")[0] : null;
                if (inAudio) {
                    mediaAddress = addr;
                } else if (pts == null) {
                    sessionAddress = addr;
                }
            } else if (type == 'a') {
                if (value.equals("sendrecv") || value.equals("sendonly") || value.equals("recvonly")
                        || value.equals("inactive")) {
                    if (inAudio) {
                        mediaDir = value;
                    } else if (pts == null) {
                        sessionDir = value;
                    }
                } else if (inAudio && value.startsWith("rtpmap:")) {
                    String[] f = value.substring(7).split("\\s+", 2);
                    if (f.length == 2) {
                        rtpmap.put(number("rtpmap payload type", f[0]), f[1]);
                    }
                }
            }
        }
        if (pts == null) {
            throw new IllegalArgumentException("the SDP offer has no audio stream");
        }
        String address = mediaAddress != null ? mediaAddress : sessionAddress;
        List<PayloadFormat> accepted = new ArrayList<>();
        for (int pt : pts) {
            PayloadFormat f = format(pt, rtpmap.get(pt));
            if (f != null) {
                accepted.add(f);
            }
        }
        if (accepted.isEmpty() && port != 0) {
            throw new IllegalArgumentException("the offer lists none of our codecs (PCMU, PCMA, G729): payload types "
                    + pts);
        }
        return new Offer(port, accepted, mediaDir != null ? mediaDir : sessionDir,
                "0.0.0.0".equals(address));
    }

    private static int number(String what, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + v + "' is not a number");
        }
    }

    /**
     * Our answer to the PBX's offer (RFC 3264 6): the codecs of the offer we decode, in its order;
     * receive only while it sends, inactive while it does not.
     *
     * @param localAddress our media address
     * @param rtpPort our RTP port
     * @param sessionId our o= session id (as in our first offer)
     * @param version our next o= version
     * @param offer the offer
     * @return the answer
     */
    public static String answer(String localAddress, int rtpPort, long sessionId, long version, Offer offer) {
        StringBuilder b = head(localAddress, sessionId, version);
        if (offer.port() == 0) {
            b.append("m=audio 0 RTP/AVP 0\r\n"); // 6: a removed stream stays removed in the answer
            return b.toString();
        }
        b.append("m=audio ").append(rtpPort).append(" RTP/AVP");
        offer.formats().forEach(f -> b.append(' ').append(f.payloadType()));
        b.append("\r\n");
        for (PayloadFormat f : offer.formats()) {
            b.append("a=rtpmap:").append(f.payloadType()).append(' ').append(f.encoding()).append('/')
                    .append(f.clockRate()).append("\r\n");
        }
        String dir = "sendrecv".equals(offer.direction()) || "sendonly".equals(offer.direction()) ? "recvonly"
                : "inactive";
        b.append("a=").append(dir).append("\r\n");
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
