package org.callrec.it;

import java.nio.file.Path;

/**
 * sipp scenarios for the end-to-end calls: ext 1001 (UAC) calls 2002 (UAS) with one codec in the
 * SDP; after the ACK each side runs its media action: streams its own audio file with rtp_stream
 * (headerless G.711 sent as it is), plays the RTP of a pcap file as it was captured, or nothing; the
 * UAC hangs up after a pause.
 */
final class SippScenarios {

    private SippScenarios() {
    }

    static String uac(int pt, String codec, String media, int holdMillis) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <scenario name="callrec UAC 1001">
                  <send retrans="500"><![CDATA[
                INVITE sip:2002@[remote_ip]:[remote_port] SIP/2.0
                Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                From: "Alice" <sip:1001@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
                To: <sip:2002@[remote_ip]:[remote_port]>
                Call-ID: [call_id]
                CSeq: 1 INVITE
                Contact: <sip:1001@[local_ip]:[local_port]>
                Max-Forwards: 70
                Content-Type: application/sdp
                Content-Length: [len]

                """ + sdp("alice", pt, codec) + """
                  ]]></send>
                  <recv response="100" optional="true"/>
                  <recv response="180" optional="true"/>
                  <recv response="200" rtd="true"/>
                  <send><![CDATA[
                ACK sip:2002@[remote_ip]:[remote_port] SIP/2.0
                Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                From: "Alice" <sip:1001@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
                To: <sip:2002@[remote_ip]:[remote_port]>[peer_tag_param]
                Call-ID: [call_id]
                CSeq: 1 ACK
                Contact: <sip:1001@[local_ip]:[local_port]>
                Max-Forwards: 70
                Content-Length: 0

                  ]]></send>
                """ + media + """
                  <pause milliseconds="%d"/>
                  <send retrans="500"><![CDATA[
                BYE sip:2002@[remote_ip]:[remote_port] SIP/2.0
                Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                From: "Alice" <sip:1001@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
                To: <sip:2002@[remote_ip]:[remote_port]>[peer_tag_param]
                Call-ID: [call_id]
                CSeq: 2 BYE
                Contact: <sip:1001@[local_ip]:[local_port]>
                Max-Forwards: 70
                Content-Length: 0

                  ]]></send>
                  <recv response="200"/>
                </scenario>
                """.formatted(holdMillis);
    }

    static String uas(int pt, String codec, String media) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <scenario name="callrec UAS 2002">
                  <recv request="INVITE"/>
                  <send><![CDATA[
                SIP/2.0 180 Ringing
                [last_Via:]
                [last_From:]
                [last_To:];tag=[pid]SIPpTag01[call_number]
                [last_Call-ID:]
                [last_CSeq:]
                Contact: <sip:2002@[local_ip]:[local_port]>
                Content-Length: 0

                  ]]></send>
                  <send><![CDATA[
                SIP/2.0 200 OK
                [last_Via:]
                [last_From:]
                [last_To:];tag=[pid]SIPpTag01[call_number]
                [last_Call-ID:]
                [last_CSeq:]
                Contact: <sip:2002@[local_ip]:[local_port]>
                Content-Type: application/sdp
                Content-Length: [len]

                """ + sdp("bob", pt, codec) + """
                  ]]></send>
                  <recv request="ACK"/>
                """ + media + """
                  <recv request="BYE"/>
                  <send><![CDATA[
                SIP/2.0 200 OK
                [last_Via:]
                [last_From:]
                [last_To:]
                [last_Call-ID:]
                [last_CSeq:]
                Content-Length: 0

                  ]]></send>
                </scenario>
                """;
    }

    private static String sdp(String owner, int pt, String codec) {
        return """
                v=0
                o=%s 1 1 IN IP[local_ip_type] [local_ip]
                s=-
                c=IN IP[media_ip_type] [media_ip]
                t=0 0
                m=audio [media_port] RTP/AVP %d
                a=rtpmap:%d %s/8000
                a=sendrecv
                """.formatted(owner, pt, pt, codec);
    }

    /** Media action: sipp's rtp_stream sends the file's bytes as payload type {@code pt}, 20 ms per packet; none if null. */
    static String rtpStream(Path audio, int pt) {
        return audio == null ? "" : "  <nop><action><exec rtp_stream=\"" + audio + ",1," + pt + "\"/></action></nop>\n";
    }

    /**
     * Media action: sipp's play_pcap_audio sends each UDP payload of the capture file as it is (RTP
     * header and all), at the capture's pace, from this side's media port to the peer's SDP port.
     */
    static String pcapAudio(Path pcap) {
        return "  <nop><action><exec play_pcap_audio=\"" + pcap + "\"/></action></nop>\n";
    }
}
