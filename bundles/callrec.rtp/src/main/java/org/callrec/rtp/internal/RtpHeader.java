package org.callrec.rtp.internal;

/**
 * One parsed RTP packet header (RFC 3550 section 5.1), reused for every packet of a stream so that
 * parsing allocates nothing. {@link #parse} bounds-checks every field against the buffer.
 */
final class RtpHeader {

    static final int FIXED_HEADER = 12;

    int payloadType;
    boolean marker;
    int sequence;
    long timestamp;
    long ssrc;
    int payloadOffset;
    int payloadLength;

    /**
     * True if the packet is RTCP rather than RTP: RTCP packet types 200-204 (SR, RR, SDES, BYE, APP)
     * occupy the byte where RTP has marker and payload type (RFC 5761 section 4).
     */
    static boolean isRtcp(byte[] buf, int offset, int length) {
        if (length < 2) {
            return false;
        }
        int type = buf[offset + 1] & 0xFF;
        return type >= 200 && type <= 204;
    }

    /**
     * Parses the header.
     *
     * @return null if the packet is well formed, else what is wrong with it
     */
    String parse(byte[] buf, int offset, int length) {
        if (buf == null || offset < 0 || length < 0 || offset > buf.length - length) {
            return "packet bounds outside the buffer";
        }
        if (length < FIXED_HEADER) {
            return "truncated: " + length + " bytes, an RTP header needs 12";
        }
        int b0 = buf[offset] & 0xFF;
        int version = b0 >>> 6;
        if (version != 2) {
            return "RTP version " + version + ", expected 2";
        }
        boolean padding = (b0 & 0x20) != 0;
        boolean extension = (b0 & 0x10) != 0;
        int csrcCount = b0 & 0x0F;
        int b1 = buf[offset + 1] & 0xFF;
        marker = (b1 & 0x80) != 0;
        payloadType = b1 & 0x7F;
        sequence = ((buf[offset + 2] & 0xFF) << 8) | (buf[offset + 3] & 0xFF);
        timestamp = u32(buf, offset + 4);
        ssrc = u32(buf, offset + 8);
        int header = FIXED_HEADER + 4 * csrcCount;
        if (header > length) {
            return "truncated: " + csrcCount + " CSRCs announced but the packet has " + length + " bytes";
        }
        if (extension) {
            if (header + 4 > length) {
                return "truncated: header extension announced but missing";
            }
            int words = ((buf[offset + header + 2] & 0xFF) << 8) | (buf[offset + header + 3] & 0xFF);
            header += 4 + 4 * words;
            if (header > length) {
                return "truncated: header extension of " + words + " words runs past the packet end";
            }
        }
        int end = length;
        if (padding) {
            int pad = buf[offset + length - 1] & 0xFF;
            if (pad == 0 || header + pad > length) {
                return "padding count " + pad + " invalid for a packet of " + length + " bytes";
            }
            end -= pad;
        }
        payloadOffset = offset + header;
        payloadLength = end - header;
        if (payloadLength == 0) {
            return "empty payload";
        }
        return null;
    }

    static long u32(byte[] b, int i) {
        return ((long) (b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }
}
