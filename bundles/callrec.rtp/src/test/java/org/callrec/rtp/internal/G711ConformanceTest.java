package org.callrec.rtp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.rtp.StreamStats;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** G.711 against sox, the independent implementation: every code, and real speech through the play-out. */
class G711ConformanceTest {

    @ParameterizedTest
    @CsvSource({"ul", "al"})
    void everyCodeDecodesAsSoxDoes(String type) throws Exception {
        TestMedia.requireTool("sox", "sox");
        byte[] codes = new byte[256];
        for (int i = 0; i < 256; i++) {
            codes[i] = (byte) i;
        }
        short[] sox = TestMedia.soxDecode(codes, type);
        short[] ours = new short[256];
        new G711Decoder(type, "ul".equals(type) ? G711.ULAW : G711.ALAW).decode(codes, 0, 256, ours, 0);
        assertArrayEquals(sox, ours, "G.711 " + type + " table differs from sox");
    }

    @ParameterizedTest
    @CsvSource({"ul, PCMU", "al, PCMA"})
    void speechThroughPlayoutIsBitExactWithSox(String type, String encoding) throws Exception {
        byte[] codes = TestMedia.soxEncode(TestMedia.speech(), type);
        short[] reference = TestMedia.soxDecode(codes, type);
        PayloadFormat format = "PCMU".equals(encoding) ? PayloadFormat.PCMU : PayloadFormat.PCMA;
        CollectingSink sink = new CollectingSink();
        StreamPlayout playout = Codecs.playout(List.of(format), sink, null, null);
        int seq = 1000;
        long ts = 123_456;
        for (int off = 0; off < codes.length; off += 160) {
            int len = Math.min(160, codes.length - off);
            byte[] p = TestMedia.rtp(format.payloadType(), off == 0, seq++, ts + off, 0x1234, codes, off, len);
            playout.offer(p, 0, p.length, off * 125_000L);
        }
        playout.close();
        assertArrayEquals(reference, sink.written(), encoding + " play-out differs from sox's decode");
        StreamStats stats = playout.stats();
        assertEquals((codes.length + 159) / 160, stats.received());
        assertEquals(0, stats.lost() + stats.late() + stats.malformed() + stats.concealedMillis());
    }
}
