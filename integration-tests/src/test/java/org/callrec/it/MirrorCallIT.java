package org.callrec.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.callrec.api.health.Diagnosis;
import org.callrec.api.health.Diagnostics;
import org.callrec.api.storage.RecordingCatalog;
import org.callrec.api.storage.RecordingEntry;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Port-mirror mode end to end in the shipped runtime, with real calls: two sipp instances, one in
 * the root namespace (the recorded user's phone, ext 1001) and one in a network namespace behind a
 * veth pair (the other party, 2002), call each other and stream speech made here with espeak-ng
 * (sipp rtp_stream, PCMU and PCMA). The capture listens on the root end of the veth pair, so it sees
 * the SIP and both RTP directions as a mirror port would. The SIP goes to passive SIP, its
 * CONNECTED event to the recorder, which starts the mirror capture for the licensed user; the
 * test then reads the stereo WAV from the catalog and aligns each channel with what was sent.
 * A call in which the phone sends no RTP must give the no-RTP diagnosis.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MirrorCallIT {

    /** G.711 quantisation alone leaves about 38 dB on normalised speech; the bar is issue 6's. */
    private static final double G711_MIN_SNR_DB = 30;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private Path dir;

    @Configuration
    public Option[] config() {
        return ShippedRuntime.options("mirror-call");
    }

    @Test
    public void sippCallsOnTheMirroredVethAreRecordedInStereoWithBothDirectionsMatchingTheirSource() throws Exception {
        try (MirrorLab lab = MirrorLab.open(context, configAdmin, "crc", "sipp", "espeak-ng", "sox", "tshark")) {
            dir = lab.dir;
            Path aliceSpeech = lab.aliceSpeech();
            Path bobSpeech = lab.bobSpeech();
            short[] alice = AudioMatch.readWav(aliceSpeech).samples()[0];
            short[] bob = AudioMatch.readWav(bobSpeech).samples()[0];
            RecordingCatalog catalog = await(RecordingCatalog.class);

            // the same traffic as a tshark capture file, for bin/callrec import afterwards
            Path capturedCalls = dir.resolve("calls.pcapng");
            Process tshark = lab.startTshark(capturedCalls);

            List<String> figures = new ArrayList<>();
            List<short[][]> live = new ArrayList<>();
            for (String[] codec : new String[][] {{"PCMU", "0", "ul"}, {"PCMA", "8", "al"}}) {
                Set<String> before = MirrorLab.recordingIds(catalog);
                int pt = Integer.parseInt(codec[1]);
                lab.finish(lab.startCall(codec[0], pt, codec[0], SippScenarios.rtpStream(lab.encode(aliceSpeech, codec[2]),
                        pt), SippScenarios.rtpStream(lab.encode(bobSpeech, codec[2]), pt), 8000));
                RecordingEntry e = MirrorLab.awaitNewComplete(catalog, before);
                AudioMatch.Wav wav;
                try (InputStream in = catalog.audio(e.id()).orElseThrow()) {
                    wav = AudioMatch.readWav(in);
                }
                assertEquals("stereo", 2, wav.channels());
                assertEquals(8000, wav.sampleRate());
                live.add(wav.samples());
                AudioMatch.Result left = AudioMatch.compare(wav.samples()[0], alice);
                AudioMatch.Result right = AudioMatch.compare(wav.samples()[1], bob);
                // the wrong way round must not pass: each source matches its own channel only
                AudioMatch.Result swapped = AudioMatch.compare(wav.samples()[0], bob);
                String figure = codec[0] + ": left (Alice, the user) " + left + ", right (Bob) " + right
                        + ", Bob against the left channel " + swapped + "; counters " + e.counters();
                figures.add(figure);
                System.out.println("MirrorCallIT " + figure);
                assertTrue(figure, left.snrDb() >= G711_MIN_SNR_DB);
                assertTrue(figure, right.snrDb() >= G711_MIN_SNR_DB);
                assertTrue(figure, swapped.snrDb() < 3);
                assertEquals(figure, List.of(codec[0]), e.codecs());
                assertEquals(figure, Long.valueOf(0), e.counters().get("packets.lost"));
                assertEquals(figure, Long.valueOf(2), e.counters().get("rtp.directions"));
                assertTrue(figure, left.overlap() >= alice.length * 99L / 100 && right.overlap() >= bob.length * 99L / 100);
            }

            // the phone sends nothing: the call is connected but no RTP reaches the capture
            Set<String> before = MirrorLab.recordingIds(catalog);
            Process[] silent = lab.startCall("PCMU-silent", 0, "PCMU", "", "", 9000);
            Diagnosis d = awaitDiagnosis("ext 1001", 12_000);
            lab.finish(silent);
            assertTrue(d.message(), d.message().contains("1001") && d.message().contains(lab.phone)
                    && d.message().contains(lab.near));
            assertTrue(d.toString(), String.join(" ", d.likelyCauses()).toLowerCase().contains("mirror"));
            RecordingEntry quiet = MirrorLab.awaitNewComplete(catalog, before);
            assertEquals(String.valueOf(quiet.counters()), Long.valueOf(0), quiet.counters().get("packets.received"));
            assertEquals(String.valueOf(quiet.counters()), Long.valueOf(0), quiet.counters().get("rtp.directions"));
            System.out.println("MirrorCallIT no-RTP diagnosis: " + d);
            MirrorLab.stop(tshark);

            importGivesTheLiveAudio(lab, capturedCalls, alice, bob, live);
        }
    }

    /**
     * The runnable jar's {@code import} on the tshark capture of the same calls: one recording per
     * call in recordings.json, the same audio as live (each channel against its source and against
     * the live recording), and a clear failure on a file that is no capture.
     */
    private void importGivesTheLiveAudio(MirrorLab lab, Path capturedCalls, short[] alice, short[] bob,
            List<short[][]> live) throws Exception {
        Path out = dir.resolve("imported");
        List<?> index = lab.importCapture(capturedCalls, out);
        assertEquals(String.valueOf(index), 3, index.size());
        String[] codecs = {"PCMU", "PCMA"};
        for (int i = 0; i < 2; i++) {
            Object r = index.get(i);
            assertEquals(String.valueOf(r), List.of(codecs[i]), MiniJson.at(r, "codecs"));
            assertEquals(String.valueOf(r), "complete", MiniJson.at(r, "status"));
            assertEquals(String.valueOf(r), "1001", MiniJson.at(r, "extension"));
            assertEquals(String.valueOf(r), 2, ((Number) MiniJson.at(r, "channels")).intValue());
            assertEquals(String.valueOf(r), 0, ((Number) MiniJson.at(r, "packetsLost")).intValue());
            assertTrue(String.valueOf(r), ((Number) MiniJson.at(r, "packetsReceived")).intValue() > 600);
            assertTrue(String.valueOf(r), ((Number) MiniJson.at(r, "durationMs")).longValue() >= 6900);
            assertTrue(String.valueOf(r), MiniJson.at(r, "callId") instanceof String);
            java.time.Instant.parse((String) MiniJson.at(r, "start"));
            AudioMatch.Wav wav = AudioMatch.readWav(out.resolve((String) MiniJson.at(r, "file")));
            assertEquals(2, wav.channels());
            AudioMatch.Result left = AudioMatch.compare(wav.samples()[0], alice);
            AudioMatch.Result right = AudioMatch.compare(wav.samples()[1], bob);
            AudioMatch.Result leftLive = AudioMatch.compare(wav.samples()[0], live.get(i)[0]);
            AudioMatch.Result rightLive = AudioMatch.compare(wav.samples()[1], live.get(i)[1]);
            String figure = "import " + codecs[i] + ": left " + left + ", right " + right + "; against the live"
                    + " recording: left " + leftLive + ", right " + rightLive;
            System.out.println("MirrorCallIT " + figure);
            assertTrue(figure, left.snrDb() >= G711_MIN_SNR_DB && right.snrDb() >= G711_MIN_SNR_DB);
            assertTrue(figure, leftLive.snrDb() >= G711_MIN_SNR_DB && rightLive.snrDb() >= G711_MIN_SNR_DB);
        }
        assertEquals(String.valueOf(index.get(2)), 0, ((Number) MiniJson.at(index.get(2), "packetsReceived")).intValue());

        Path notACapture = dir.resolve("notes.pcap");
        Files.writeString(notACapture, "these are meeting notes, not packets\n");
        Process bad = MirrorLab.importProcess(dir.resolve("home"), notACapture, dir.resolve("bad")).start();
        String badOut = new String(bad.getInputStream().readAllBytes());
        assertTrue(bad.waitFor(2, TimeUnit.MINUTES));
        assertEquals(badOut, 2, bad.exitValue());
        assertTrue(badOut, badOut.contains(notACapture + ": not a pcap or pcapng file"));
    }

    private Diagnosis awaitDiagnosis(String subject, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            for (ServiceReference<Diagnostics> r : context.getServiceReferences(Diagnostics.class, null)) {
                Diagnostics s = context.getService(r);
                if (s == null) {
                    continue;
                }
                try {
                    for (Diagnosis d : s.current()) {
                        if (d.subject().equals(subject)) {
                            return d;
                        }
                    }
                } finally {
                    context.ungetService(r);
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no diagnosis for " + subject + " within " + timeoutMs + " ms");
    }

    private <T> T await(Class<T> type) throws InterruptedException {
        return RuntimeServices.await(context, type);
    }
}
