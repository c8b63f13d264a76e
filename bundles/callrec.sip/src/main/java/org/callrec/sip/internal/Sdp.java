package org.callrec.sip.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.callrec.api.call.MediaHint;
import org.callrec.api.rtp.PayloadFormat;

/**
 * The audio streams of an SDP body (RFC 4566, offer/answer RFC 3264): connection address, RTP
 * port, payload formats (static RFC 3551 types and a=rtpmap / a=fmtp) and direction. A hold is
 * a=sendonly or a=inactive, or the old RFC 2543 form c=0.0.0.0 (read as inactive).
 */
record Sdp(List<Audio> audio) {

    /** One m=audio line with what applies to it. */
    record Audio(String address, int port, List<PayloadFormat> formats, MediaHint.Direction direction) {
    }

    /** @return the first audio stream's direction, SENDRECV if none */
    MediaHint.Direction direction() {
        return audio.isEmpty() ? MediaHint.Direction.SENDRECV : audio.get(0).direction();
    }

    /** @return true when this SDP puts the stream on hold (sendonly or inactive, c=0.0.0.0 included) */
    boolean holds() {
        MediaHint.Direction d = direction();
        return d == MediaHint.Direction.SENDONLY || d == MediaHint.Direction.INACTIVE;
    }

    List<MediaHint> hints(boolean local) {
        List<MediaHint> l = new ArrayList<>();
        for (Audio a : audio) {
            l.add(new MediaHint(a.address(), a.port(), a.formats(), a.direction(), local));
        }
        return l;
    }

    static Sdp parse(byte[] body) throws SipParseException {
        String text = new String(body, StandardCharsets.UTF_8);
        String sessionAddress = null;
        MediaHint.Direction sessionDirection = MediaHint.Direction.SENDRECV;
        List<Builder> media = new ArrayList<>();
        Builder current = null;
        boolean sawVersion = false;
        for (String raw : text.split("\r?\n")) {
            String line = raw.trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new SipParseException("SDP line is not <type>=<value>: '" + clip(line) + "'");
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            switch (type) {
                case 'v' -> sawVersion = true;
                case 'c' -> {
                    String addr = connectionAddress(value);
                    if (current == null) {
                        sessionAddress = addr;
                    } else {
                        current.address = addr;
                    }
                }
                case 'm' -> {
                    current = new Builder(value);
                    media.add(current);
                }
                case 'a' -> {
                    MediaHint.Direction d = direction(value);
                    if (d != null) {
                        if (current == null) {
                            sessionDirection = d;
                        } else {
                            current.direction = d;
                        }
                    } else if (current != null) {
                        current.attribute(value);
                    }
                }
                default -> {
                    // o=, s=, t=, b= ... carry nothing a capture needs
                }
            }
        }
        if (!sawVersion) {
            throw new SipParseException("SDP without v= line");
        }
        List<Audio> audio = new ArrayList<>();
        for (Builder b : media) {
            if (!b.media.equals("audio")) {
                continue;
            }
            String address = b.address != null ? b.address : sessionAddress;
            if (address == null) {
                throw new SipParseException("SDP m=audio without a connection address (c=)");
            }
            MediaHint.Direction d = b.direction != null ? b.direction : sessionDirection;
            if (address.equals("0.0.0.0")) {
                d = MediaHint.Direction.INACTIVE; // RFC 2543 hold
            }
            audio.add(new Audio(address, b.port, b.formats(), d));
        }
        return new Sdp(List.copyOf(audio));
    }

    private static String connectionAddress(String value) throws SipParseException {
        String[] p = value.trim().split("\\s+");
        if (p.length < 3 || !p[0].equals("IN") || !(p[1].equals("IP4") || p[1].equals("IP6"))) {
            throw new SipParseException("bad SDP c= line '" + clip(value) + "'");
        }
        String a = p[2];
        int slash = a.indexOf('/'); // multicast TTL / count
        return slash >= 0 ? a.substring(0, slash) : a;
    }

    private static MediaHint.Direction direction(String attr) {
        return switch (attr.trim().toLowerCase(Locale.ROOT)) {
            case "sendrecv" -> MediaHint.Direction.SENDRECV;
            case "sendonly" -> MediaHint.Direction.SENDONLY;
            case "recvonly" -> MediaHint.Direction.RECVONLY;
            case "inactive" -> MediaHint.Direction.INACTIVE;
            default -> null;
        };
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    private static final class Builder {
        final String media;
        final int port;
        final List<Integer> payloadTypes = new ArrayList<>();
        final Map<Integer, String[]> rtpmap = new LinkedHashMap<>();
        final Map<Integer, String> fmtp = new LinkedHashMap<>();
        String address;
        MediaHint.Direction direction;

        Builder(String m) throws SipParseException {
            String[] p = m.trim().split("\\s+");
            if (p.length < 3) {
                throw new SipParseException("bad SDP m= line '" + clip(m) + "'");
            }
            media = p[0].toLowerCase(Locale.ROOT);
            String port = p[1];
            int slash = port.indexOf('/');
            try {
                this.port = Integer.parseInt(slash >= 0 ? port.substring(0, slash) : port);
            } catch (NumberFormatException e) {
                throw new SipParseException("bad port in SDP m= line '" + clip(m) + "'");
            }
            if (this.port < 0 || this.port > 65535) {
                throw new SipParseException("SDP port out of range in '" + clip(m) + "'");
            }
            if (media.equals("audio") && p[2].toUpperCase(Locale.ROOT).contains("RTP")) {
                for (int i = 3; i < p.length; i++) {
                    try {
                        int pt = Integer.parseInt(p[i]);
                        if (pt < 0 || pt > 127) {
                            throw new NumberFormatException();
                        }
                        payloadTypes.add(pt);
                    } catch (NumberFormatException e) {
                        throw new SipParseException("bad RTP payload type '" + p[i] + "' in SDP m= line");
                    }
                }
            }
        }

        void attribute(String a) throws SipParseException {
            String lower = a.toLowerCase(Locale.ROOT);
            if (lower.startsWith("rtpmap:")) {
                String[] p = a.substring(7).trim().split("\\s+", 2);
                try {
                    int pt = Integer.parseInt(p[0]);
                    String[] enc = p[1].split("/");
                    rtpmap.put(pt, enc);
                    Integer.parseInt(enc[1].trim());
                } catch (RuntimeException e) {
                    throw new SipParseException("bad a=rtpmap '" + clip(a) + "'");
                }
            } else if (lower.startsWith("fmtp:")) {
                String[] p = a.substring(5).trim().split("\\s+", 2);
                try {
                    fmtp.put(Integer.parseInt(p[0]), p.length > 1 ? p[1] : "");
                } catch (NumberFormatException e) {
                    throw new SipParseException("bad a=fmtp '" + clip(a) + "'");
                }
            }
        }

        List<PayloadFormat> formats() {
            List<PayloadFormat> l = new ArrayList<>();
            for (int pt : payloadTypes) {
                String f = fmtp.getOrDefault(pt, "");
                String[] enc = rtpmap.get(pt);
                if (enc != null) {
                    int channels = enc.length > 2 ? Integer.parseInt(enc[2].trim()) : 1;
                    l.add(new PayloadFormat(pt, enc[0].trim(), Integer.parseInt(enc[1].trim()), channels, f));
                } else {
                    PayloadFormat s = staticType(pt);
                    if (s != null) {
                        l.add(new PayloadFormat(s.payloadType(), s.encoding(), s.clockRate(), s.channels(), f));
                    }
                    // a dynamic type without rtpmap cannot be described: left out
                }
            }
            return l;
        }

        /** RFC 3551 static audio payload types the PBX may use. */
        private static PayloadFormat staticType(int pt) {
            return switch (pt) {
                case 0 -> PayloadFormat.PCMU;
                case 3 -> new PayloadFormat(3, "GSM", 8000, 1, "");
                case 8 -> PayloadFormat.PCMA;
                case 9 -> new PayloadFormat(9, "G722", 8000, 1, "");
                case 13 -> PayloadFormat.CN;
                case 18 -> PayloadFormat.G729;
                default -> null;
            };
        }
    }
}
