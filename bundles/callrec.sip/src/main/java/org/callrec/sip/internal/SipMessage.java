package org.callrec.sip.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One parsed SIP message (RFC 3261 section 7): a request (method, Request-URI) or a response
 * (status, reason), its headers by lower-case full name (compact forms expanded), and its body.
 */
record SipMessage(String method, String requestUri, int status, String reason, Map<String, List<String>> headers,
        byte[] body) {

    boolean isRequest() {
        return method != null;
    }

    /** @return the first value of a header (full name, any case), or null */
    String header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    String callId() {
        return header("call-id");
    }

    /** @return CSeq sequence number */
    long cseq() {
        return Long.parseLong(header("cseq").trim().split("\\s+")[0]);
    }

    /** @return CSeq method (for responses: the method answered) */
    String cseqMethod() {
        return header("cseq").trim().split("\\s+")[1].toUpperCase(Locale.ROOT);
    }

    String fromTag() {
        return SipUri.tag(header("from"));
    }

    String toTag() {
        return SipUri.tag(header("to"));
    }

    boolean hasSdp() {
        String ct = header("content-type");
        return body.length > 0 && ct != null && ct.toLowerCase(Locale.ROOT).startsWith("application/sdp");
    }

    @Override
    public String toString() {
        return isRequest() ? method + " " + requestUri : status + " " + reason + " (" + header("cseq") + ")";
    }
}
