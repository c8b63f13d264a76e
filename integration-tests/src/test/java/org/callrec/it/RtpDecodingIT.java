package org.callrec.it;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.inject.Inject;

import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.audio.GapMarker;
import org.callrec.api.audio.PcmSink;
import org.callrec.api.health.HealthReport;
import org.callrec.api.health.HealthStatus;
import org.callrec.api.rtp.AudioDecoder;
import org.callrec.api.rtp.DecoderFactory;
import org.callrec.api.rtp.PayloadFormat;
import org.callrec.api.rtp.Playout;
import org.callrec.api.rtp.PlayoutFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * callrec.rtp in the shipped runtime: its play-out and the three decoders are services, G.729 is
 * decoded through the OS's bcg729 via the JNA bundle, and its health check says so.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RtpDecodingIT {

    @Inject
    private BundleContext context;

    @Inject
    private PlayoutFactory playouts;

    @Configuration
    public Option[] config() {
        return ShippedRuntime.options("rtp");
    }

    private DecoderFactory decoder(String encoding) throws Exception {
        Collection<ServiceReference<DecoderFactory>> refs = context.getServiceReferences(DecoderFactory.class,
                "(" + DecoderFactory.ENCODING_PROPERTY + "=" + encoding + ")");
        assertEquals(encoding + " decoder services", 1, refs.size());
        return context.getService(refs.iterator().next());
    }

    @Test
    public void decodersAreServicesByEncodingAndG729UsesTheOsLibrary() throws Exception {
        assertTrue(decoder("PCMU").available());
        assertTrue(decoder("PCMA").available());
        DecoderFactory g729 = decoder("G729");
        assertTrue("libbcg729.so.0 not usable in the runtime (install libbcg729-0)", g729.available());
        short[] out = new short[80];
        try (AudioDecoder d = g729.create()) {
            assertEquals(80, d.decode(new byte[10], 0, 10, out, 0));
            assertEquals(80, d.conceal(out, 0, 80));
        }
        HealthReport report = RuntimeServices.health(context, n -> n.startsWith("G.729")).orElse(null);
        assertNotNull("no G.729 health check", report);
        assertEquals(report.message(), HealthStatus.OK, report.status());
    }

    @Test
    public void playoutServiceTurnsRtpIntoPcm() {
        List<short[]> pcm = new ArrayList<>();
        List<Long> positions = new ArrayList<>();
        PcmSink sink = new PcmSink() {
            @Override
            public void pcm(long samplePosition, short[] samples, int offset, int length) {
                positions.add(samplePosition);
                pcm.add(java.util.Arrays.copyOfRange(samples, offset, offset + length));
            }

            @Override
            public void gap(GapMarker gap) {
            }

            @Override
            public void dtmf(DtmfEvent event) {
            }
        };
        Playout playout = playouts.open(List.of(PayloadFormat.PCMU), 800, 1, sink, null);
        for (int i = 0; i < 10; i++) {
            byte[] p = new byte[12 + 160];
            p[0] = (byte) 0x80;
            p[3] = (byte) i;
            p[6] = (byte) (i * 160 >> 8);
            p[7] = (byte) (i * 160);
            java.util.Arrays.fill(p, 12, p.length, (byte) 0xFE); // mu-law code 0xFE decodes to 8
            playout.offer(p, 0, p.length, i * 20_000_000L);
        }
        playout.close();
        assertEquals(10, playout.stats().received());
        assertEquals(Long.valueOf(800), positions.get(0));
        short[] eight = new short[160];
        java.util.Arrays.fill(eight, (short) 8);
        assertArrayEquals(eight, pcm.get(9));
    }
}
