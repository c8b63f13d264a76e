package org.callrec.api.rtp;

/**
 * RTCP seen beside one RTP stream (RFC 3550 section 6), kept out of the audio path.
 *
 * @param packets RTCP packets recognised
 * @param senderReports sender reports among them
 * @param lastSenderSsrc SSRC of the last sender report, or 0
 * @param lastNtpTimestamp NTP timestamp (64-bit fixed point) of the last sender report, or 0
 * @param lastRtpTimestamp RTP timestamp of the last sender report (unsigned 32-bit), or 0
 * @param senderPacketCount the sender's packet count in the last sender report
 * @param senderOctetCount the sender's octet count in the last sender report
 */
public record RtcpStats(long packets, long senderReports, long lastSenderSsrc, long lastNtpTimestamp,
        long lastRtpTimestamp, long senderPacketCount, long senderOctetCount) {

    /** No RTCP seen yet. */
    public static final RtcpStats EMPTY = new RtcpStats(0, 0, 0, 0, 0, 0, 0);
}
