package org.callrec.sip.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A tolerant RFC 3261 message parser for passive use: start line, headers (folding, compact forms,
 * case-insensitive names), body framed by Content-Length. Written here rather than taken from
 * jain-sip-ri because a passive observer needs only framing and a handful of headers, must skip
 * garbage without a stack behind it, and reads TCP segments that may hold several messages.
 */
final class SipParser {

    private static final Map<String, String> COMPACT = Map.of("i", "call-id", "m", "contact", "e", "content-encoding",
            "l", "content-length", "c", "content-type", "f", "from", "s", "subject", "k", "supported", "t", "to", "v", "via");
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private SipParser() {
    }

    /** Result of parsing one message out of a buffer: the message and where the next one starts. */
    record Parsed(SipMessage message, int end) {
    }

    /** @return true when the bytes from offset on are only CR/LF (RFC 5626 keep-alives) */
    static boolean keepAlive(byte[] b, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (b[i] != '\r' && b[i] != '\n') {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses one message starting at offset.
     *
     * @param stream true for TCP: Content-Length is mandatory and frames the message
     */
    static Parsed parse(byte[] b, int offset, int length, boolean stream) throws SipParseException {
        int limit = offset + length;
        int headerEnd = -1;
        int bodyStart = -1;
        for (int i = offset; i < limit && i - offset < MAX_HEADER_BYTES; i++) {
            if (b[i] == '\n') {
                if (i + 1 < limit && b[i + 1] == '\n') {
                    headerEnd = i;
                    bodyStart = i + 2;
                    break;
                }
                if (i + 2 < limit && b[i + 1] == '\r' && b[i + 2] == '\n') {
                    headerEnd = i;
                    bodyStart = i + 3;
                    break;
                }
            }
        }
        if (headerEnd < 0) {
            throw new SipParseException("no end of headers (empty line) within " + Math.min(length, MAX_HEADER_BYTES)
                    + " bytes" + (stream ? ": TCP segment does not hold a whole message" : ""));
        }
        String head = new String(b, offset, headerEnd - offset, StandardCharsets.UTF_8);
        String[] lines = head.split("\r?\n");
        String start = lines[0].trim();
        String method = null;
        String uri = null;
        int status = 0;
        String reason = null;
        if (start.startsWith("SIP/2.0 ")) {
            String[] p = start.split(" ", 3);
            if (p.length < 2 || !p[1].matches("[1-6][0-9][0-9]")) {
                throw new SipParseException("bad status line '" + clip(start) + "'");
            }
            status = Integer.parseInt(p[1]);
            reason = p.length > 2 ? p[2] : "";
        } else {
            String[] p = start.split(" ");
            if (p.length != 3 || !p[2].equals("SIP/2.0") || !p[0].matches("[A-Za-z]+")) {
                throw new SipParseException("not a SIP start line: '" + clip(start) + "'");
            }
            method = p[0].toUpperCase(Locale.ROOT);
            uri = p[1];
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                if (name == null) {
                    throw new SipParseException("continuation line before any header");
                }
                value.append(' ').append(line.trim());
                continue;
            }
            if (name != null) {
                add(headers, name, value.toString());
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new SipParseException("header line without a name: '" + clip(line) + "'");
            }
            String n = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            name = COMPACT.getOrDefault(n, n);
            value.setLength(0);
            value.append(line.substring(colon + 1).trim());
        }
        if (name != null) {
            add(headers, name, value.toString());
        }
        for (String required : new String[] {"call-id", "cseq", "from", "to"}) {
            if (!headers.containsKey(required)) {
                throw new SipParseException("missing " + required + " header in " + (method != null ? method : "response " + status));
            }
        }
        String[] cseq = headers.get("cseq").get(0).trim().split("\\s+");
        if (cseq.length != 2 || !cseq[0].matches("[0-9]{1,10}")) {
            throw new SipParseException("bad CSeq '" + clip(headers.get("cseq").get(0)) + "'");
        }
        int available = limit - bodyStart;
        int bodyLength;
        List<String> cl = headers.get("content-length");
        if (cl == null) {
            if (stream) {
                throw new SipParseException("no Content-Length on a stream (TCP) message");
            }
            bodyLength = available; // UDP: the datagram ends the message
        } else {
            String v = cl.get(0).trim();
            if (!v.matches("[0-9]{1,9}")) {
                throw new SipParseException("bad Content-Length '" + clip(v) + "'");
            }
            bodyLength = Integer.parseInt(v);
            if (bodyLength > available) {
                throw new SipParseException("Content-Length " + bodyLength + " but only " + available + " body bytes"
                        + (stream ? " (message continues in another TCP segment)" : " (truncated datagram)"));
            }
        }
        byte[] body = new byte[bodyLength];
        System.arraycopy(b, bodyStart, body, 0, bodyLength);
        return new Parsed(new SipMessage(method, uri, status, reason, headers, body), bodyStart + bodyLength);
    }

    private static void add(Map<String, List<String>> headers, String name, String value) {
        headers.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
