package org.callrec.capture.wave.internal.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One SIP message as the user agent needs it (RFC 3261 section 7): start line, headers in order
 * with compact forms expanded and folded lines joined, and the body cut at Content-Length. A UAC
 * of one INVITE dialog reads a dozen headers, so this is all the parsing it needs.
 *
 * @param startLine the request or status line
 * @param headers header names (long form, as sent) and values, in order
 * @param body the body, or empty
 */
record SipMessage(String startLine, List<Map.Entry<String, String>> headers, String body) {

    private static final Map<String, String> COMPACT = Map.of("i", "Call-ID", "v", "Via", "f", "From", "t", "To",
            "m", "Contact", "l", "Content-Length", "c", "Content-Type", "k", "Supported", "s", "Subject", "e",
            "Content-Encoding");

    /**
     * @param data a datagram
     * @param length its length
     * @return the message
     * @throws IllegalArgumentException naming what is malformed
     */
    static SipMessage parse(byte[] data, int length) {
        return parse(data, 0, length);
    }

    /**
     * @param data a buffer holding one message (a datagram, or one framed off a stream)
     * @param offset its first byte
     * @param length its length
     * @return the message
     * @throws IllegalArgumentException naming what is malformed
     */
    static SipMessage parse(byte[] data, int offset, int length) {
        String text = new String(data, offset, length, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        int sep = 4;
        if (end < 0) {
            end = text.indexOf("\n\n");
            sep = 2;
        }
        if (end < 0) {
            throw new IllegalArgumentException("no empty line after the headers");
        }
        String[] lines = text.substring(0, end).split("\r?\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            throw new IllegalArgumentException("empty start line");
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if ((line.startsWith(" ") || line.startsWith("\t")) && !headers.isEmpty()) {
                Map.Entry<String, String> last = headers.remove(headers.size() - 1);
                headers.add(Map.entry(last.getKey(), last.getValue() + " " + line.trim()));
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("header line without a name: '" + line + "'");
            }
            String name = line.substring(0, colon).trim();
            name = COMPACT.getOrDefault(name.toLowerCase(Locale.ROOT), name);
            headers.add(Map.entry(name, line.substring(colon + 1).trim()));
        }
        String body = text.substring(end + sep);
        SipMessage m = new SipMessage(lines[0].trim(), headers, body);
        String cl = m.header("Content-Length");
        if (cl != null) {
            int n;
            try {
                n = Integer.parseInt(cl.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Content-Length '" + cl + "' is not a number");
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            if (n > b.length) {
                throw new IllegalArgumentException("Content-Length " + n + " exceeds the " + b.length + " body bytes");
            }
            m = new SipMessage(m.startLine, headers, new String(b, 0, n, StandardCharsets.UTF_8));
        }
        if (m.header("Call-ID") == null || m.header("CSeq") == null) {
            throw new IllegalArgumentException("no Call-ID or CSeq");
        }
        return m;
    }

    boolean isResponse() {
        return startLine.startsWith("SIP/2.0 ");
    }

    /** @return the status code of a response */
    int status() {
        String[] p = startLine.split(" ", 3);
        try {
            return Integer.parseInt(p[1]);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad status line '" + startLine + "'");
        }
    }

    /** @return the reason phrase of a response */
    String reason() {
        String[] p = startLine.split(" ", 3);
        return p.length > 2 ? p[2] : "";
    }

    /** @return the method of a request */
    String method() {
        return startLine.substring(0, startLine.indexOf(' ') < 0 ? startLine.length() : startLine.indexOf(' '));
    }

    /** @return the first value of the header (case-insensitive name), or null */
    String header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    /** @return every value of the header, comma-separated values split (for Via and Record-Route) */
    List<String> headerValues(String name) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                out.addAll(splitList(h.getValue()));
            }
        }
        return out;
    }

    /** @return the CSeq number */
    int cseq() {
        String v = header("CSeq").trim();
        try {
            return Integer.parseInt(v.split("\\s+")[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad CSeq '" + v + "'");
        }
    }

    /** @return the CSeq method */
    String cseqMethod() {
        String[] p = header("CSeq").trim().split("\\s+");
        return p.length > 1 ? p[1] : "";
    }

    /** @return the tag parameter of a From/To value, or null */
    static String tag(String nameAddr) {
        if (nameAddr == null) {
            return null;
        }
        int gt = nameAddr.lastIndexOf('>');
        String params = gt >= 0 ? nameAddr.substring(gt + 1) : nameAddr;
        for (String p : params.split(";")) {
            String t = p.trim();
            if (t.regionMatches(true, 0, "tag=", 0, 4)) {
                return t.substring(4);
            }
        }
        return null;
    }

    /** @return the URI inside a name-addr ({@code <sip:...>}) or the addr-spec itself */
    static String uri(String nameAddr) {
        int lt = nameAddr.indexOf('<');
        int gt = nameAddr.indexOf('>', lt + 1);
        if (lt >= 0 && gt > lt) {
            return nameAddr.substring(lt + 1, gt);
        }
        int semi = nameAddr.indexOf(';');
        return (semi >= 0 ? nameAddr.substring(0, semi) : nameAddr).trim();
    }

    /** Splits a header list at commas outside quotes and angle brackets. */
    private static List<String> splitList(String v) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '<') {
                depth++;
            } else if (!quoted && c == '>') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                out.add(v.substring(start, i).trim());
                start = i + 1;
            }
        }
        out.add(v.substring(start).trim());
        return out;
    }
}
