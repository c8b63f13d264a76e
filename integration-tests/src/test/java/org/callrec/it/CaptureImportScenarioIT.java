package org.callrec.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code callrec import --scenario}: call boundaries from a scripted PBX scenario played on the
 * capture file's clock, for a mirror port on which the PBX's signalling is not visible (TAPI only,
 * or encrypted SIP). Real calls: sipp as the recorded user's phone (ext 1001, root namespace) and as
 * the far party (a network namespace behind a veth pair), streaming espeak-ng speech (PCMU, PCMA)
 * and one call without RTP; tshark captures the veth as a mirror port would. The test writes the
 * scenario a PBX would have played for those calls (offering, connected, disconnected at the
 * times the SIP shows) and imports the capture with it through the runnable jar:
 * <ul>
 * <li>with the SIP stripped from the file (the case the option exists for): one stereo WAV per call,
 * each channel >= 30 dB SNR against the speech sent, recordings.json complete, start = the
 * scenario's connect time, and the call without RTP marked {@code no-rtp};</li>
 * <li>with the SIP left in and the same steps from an explicit {@code start}: passive SIP makes no
 * second set of calls, and the audio is identical sample for sample (the clock is the file's);</li>
 * <li>bad scenarios (JSON error, unknown key, unknown line, a step in the past, missing file): exit 2,
 * a message naming file, step and problem, and no output directory.</li>
 * </ul>
 */
class CaptureImportScenarioIT {

    private static final double G711_MIN_SNR_DB = 30;

    private Path dir;

    private MirrorLab lab;
    private int callsMade;

    @AfterEach
    void removeNetwork() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aCaptureWithoutVisibleSignallingIsRecordedFromAScenarioOnItsClock() throws Exception {
        dir = ShippedRuntime.scratch("callrec-cri");
        lab = MirrorLab.openNetwork(dir, "cri", "sipp", "espeak-ng", "sox", "tshark");
        String phone = lab.phone;
        String other = lab.other;

        Path aliceSpeech = lab.aliceSpeech();
        Path bobSpeech = lab.bobSpeech();
        short[] alice = AudioMatch.readWav(aliceSpeech).samples()[0];
        short[] bob = AudioMatch.readWav(bobSpeech).samples()[0];

        Path calls = dir.resolve("calls.pcapng");
        Process tshark = lab.startTshark(calls);
        // one packet before the calls that is neither SIP nor RTP: both files start with it, so the
        // scenario's offsets mean the same in the file with SIP and in the one without
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(phone), 0))) {
            s.send(new DatagramPacket(new byte[8], 8, InetAddress.getByName(other), 9));
        }
        Thread.sleep(300);
        int uacSip = freeUdpPort(phone);
        call(uacSip, "PCMU", 0, lab.encode(aliceSpeech, "ul"), lab.encode(bobSpeech, "ul"), 8000);
        call(uacSip, "PCMA", 8, lab.encode(aliceSpeech, "al"), lab.encode(bobSpeech, "al"), 8000);
        call(uacSip, "PCMU", 0, null, null, 3000); // connected, but the phones send nothing
        MirrorLab.stop(tshark);

        // what the PBX knew: when each call was offered, connected and ended (here read off the SIP)
        Instant first = Instant.ofEpochSecond(0).plusNanos(epochNanos(MirrorLab.stdout("tshark", "-r",
                calls.toString(), "-c", "1", "-T", "fields", "-e", "frame.time_epoch").strip()));
        List<Instant[]> times = callTimes(calls);
        assertEquals(3, times.size(), "three calls in the capture: " + times);
        Path rtpOnly = MirrorLab.withoutSip(calls, dir.resolve("rtp-only.pcapng"));
        Path home = lab.importHome();

        // 1. no SIP in the file: the calls come from the scenario alone, offsets from the first packet
        Path relative = dir.resolve("calls-relative.json");
        Files.writeString(relative, scenario(null, first, times));
        Path out = dir.resolve("imported");
        Result r = importFile(home, rtpOnly, relative, out);
        assertEquals(0, r.exit, r.log);
        assertTrue(r.log.contains("callrec import: scenario 'sipp-calls': 15 step(s) from " + first
                + " (the first packet)"), r.log);
        List<?> index = (List<?>) MiniJson.parse(Files.readString(out.resolve("recordings.json")));
        assertEquals(3, index.size(), index + "\n" + r.log);
        String[] codecs = {"PCMU", "PCMA"};
        List<short[][]> audio = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Object e = index.get(i);
            String what = String.valueOf(e);
            for (String key : new String[] {"id", "callId", "extension", "file", "codecs", "channels", "start",
                "durationMs", "packetsReceived", "packetsLost", "status"}) {
                assertTrue(((Map<?, ?>) e).containsKey(key), key + " in " + what);
            }
            assertEquals(String.valueOf(7001 + i), MiniJson.at(e, "callId"), what);
            assertEquals("1001", MiniJson.at(e, "extension"), what);
            assertEquals(2, ((Number) MiniJson.at(e, "channels")).intValue(), what);
            // the recording starts at the scenario's connect, a capture time, to the millisecond
            assertEquals(first.plusMillis(offset(first, times.get(i)[1])), Instant.parse((String) MiniJson.at(e, "start")),
                    what);
            AudioMatch.Wav wav = AudioMatch.readWav(out.resolve((String) MiniJson.at(e, "file")));
            assertEquals(2, wav.channels(), what);
            audio.add(wav.samples());
            if (i == 2) {
                assertEquals(0, ((Number) MiniJson.at(e, "packetsReceived")).intValue(), what);
                assertEquals("no-rtp", MiniJson.at(e, "status"), what);
                assertTrue(((String) MiniJson.at(e, "reason")).contains("no RTP to or from " + phone), what);
                continue;
            }
            assertEquals("complete", MiniJson.at(e, "status"), what);
            assertEquals(List.of(codecs[i]), MiniJson.at(e, "codecs"), what);
            assertEquals(0, ((Number) MiniJson.at(e, "packetsLost")).intValue(), what);
            assertTrue(((Number) MiniJson.at(e, "packetsReceived")).intValue() > 600, what);
            AudioMatch.Result left = AudioMatch.compare(wav.samples()[0], alice);
            AudioMatch.Result right = AudioMatch.compare(wav.samples()[1], bob);
            AudioMatch.Result swapped = AudioMatch.compare(wav.samples()[0], bob);
            String figure = "import --scenario " + codecs[i] + ": left (Alice) " + left + ", right (Bob) " + right
                    + ", Bob against the left channel " + swapped;
            System.out.println("CaptureImportScenarioIT " + figure);
            assertTrue(left.snrDb() >= G711_MIN_SNR_DB && right.snrDb() >= G711_MIN_SNR_DB, figure);
            assertTrue(swapped.snrDb() < 3, figure);
            assertTrue(left.overlap() >= alice.length * 99L / 100 && right.overlap() >= bob.length * 99L / 100, figure);
        }

        // 2. SIP left in, the same steps from an explicit start: passive SIP adds no calls, same audio
        Path absolute = dir.resolve("calls-absolute.json");
        Files.writeString(absolute, scenario(first, first, times));
        Path out2 = dir.resolve("imported-with-sip");
        Result r2 = importFile(home, calls, absolute, out2);
        assertEquals(0, r2.exit, r2.log);
        assertTrue(r2.log.contains("('start')"), r2.log);
        List<?> index2 = (List<?>) MiniJson.parse(Files.readString(out2.resolve("recordings.json")));
        assertEquals(3, index2.size(), "only the scenario's calls, none from the SIP in the file: " + index2 + "\n"
                + r2.log);
        for (int i = 0; i < 3; i++) {
            assertEquals(MiniJson.at(index.get(i), "callId"), MiniJson.at(index2.get(i), "callId"));
            assertEquals(MiniJson.at(index.get(i), "start"), MiniJson.at(index2.get(i), "start"));
            assertEquals(MiniJson.at(index.get(i), "status"), MiniJson.at(index2.get(i), "status"));
            short[][] again = AudioMatch.readWav(out2.resolve((String) MiniJson.at(index2.get(i), "file"))).samples();
            assertArrayEquals(audio.get(i)[0], again[0], "left channel of call " + (i + 1) + " again");
            assertArrayEquals(audio.get(i)[1], again[1], "right channel of call " + (i + 1) + " again");
        }

        badScenariosAreRefusedWithTheirFileStepAndProblem(home, rtpOnly, first, times);
    }

    private void badScenariosAreRefusedWithTheirFileStepAndProblem(Path home, Path capture, Instant first,
            List<Instant[]> times) throws Exception {
        String good = scenario(null, first, times);
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("json", new String[] {good.replaceFirst("\"steps\": \\[", "\"steps\": [,"),
            "JSON line"});
        cases.put("key", new String[] {good.replaceFirst("\"state\": \"CONNECTED\"", "\"stat\": \"CONNECTED\""),
            "scenario sipp-calls step 3: unknown key 'stat'"});
        cases.put("line", new String[] {good.replaceFirst("\"line\": \"1001\"", "\"line\": \"1009\""),
            "scenario sipp-calls step 1: line '1009' is not in 'lines' [1001]"});
        // the scenario names a start a minute before the capture's: its first step lies before the first packet
        cases.put("past", new String[] {scenario(first.minusSeconds(60), first, times),
            "scenario sipp-calls step 1: takes effect at"});
        List<Process> running = new ArrayList<>();
        List<Path> outs = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            Path f = dir.resolve("bad-" + c.getKey() + ".json");
            Files.writeString(f, c.getValue()[0]);
            Path out = dir.resolve("bad-" + c.getKey());
            files.add(f);
            outs.add(out);
            running.add(start(home, capture, f, out, dir.resolve("bad-" + c.getKey() + ".log")));
        }
        int i = 0;
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            Process p = running.get(i);
            assertTrue(p.waitFor(3, TimeUnit.MINUTES), c.getKey() + " finishes");
            String log = Files.readString(dir.resolve("bad-" + c.getKey() + ".log"));
            System.out.println("CaptureImportScenarioIT bad scenario (" + c.getKey() + "): " + log.lines()
                    .filter(l -> l.startsWith("callrec import: scenario file")).findFirst().orElse("?"));
            assertEquals(2, p.exitValue(), log);
            assertTrue(log.contains("callrec import: scenario file " + files.get(i) + ": "), log);
            assertTrue(log.contains(c.getValue()[1]), c.getValue()[1] + " in " + log);
            assertFalse(Files.exists(outs.get(i)), "nothing written for " + c.getKey());
            i++;
        }
        assertTrue(Files.readString(dir.resolve("bad-past.log")).contains("in the past"));
        Path missing = dir.resolve("no-such-scenario.json");
        Result r = importFile(home, capture, missing, dir.resolve("bad-missing"));
        assertEquals(2, r.exit, r.log);
        assertTrue(r.log.contains("cannot read scenario file " + missing + ": no such file"), r.log);
        assertFalse(Files.exists(dir.resolve("bad-missing")));
    }

    /**
     * The scenario a PBX would have played: per call, Alice's line dials out, rings back, connects
     * and disconnects at the times the SIP shows, as 'at' offsets from the first packet; with a
     * 'start' when one is given (null: none, the offsets count from the first packet).
     */
    private static String scenario(Instant start, Instant first, List<Instant[]> times) {
        StringBuilder s = new StringBuilder("{\"name\": \"sipp-calls\",\n");
        if (start != null) {
            s.append(" \"start\": \"").append(start).append("\",\n");
        }
        s.append(" \"description\": \"the sipp calls of the capture, as the PBX signalled them over TAPI\",\n")
                .append(" \"lines\": [\"1001\"],\n \"steps\": [\n");
        Instant origin = first;
        for (int i = 0; i < times.size(); i++) {
            String c = "c" + (i + 1);
            Instant[] t = times.get(i);
            s.append(i == 0 ? "  " : ",\n  ").append("{\"at\": ").append(offset(origin, t[0])).append(", \"call\": \"")
                    .append(c).append("\", \"line\": \"1001\", \"state\": \"DIALING\", \"info\": {\"callId\": ")
                    .append(7001 + i).append(", \"origin\": \"OUTBOUND\", \"reason\": \"DIRECT\", \"caller\": \"1001\","
                            + " \"called\": \"00493011122233\"}},\n")
                    .append("  {\"after\": 0, \"call\": \"").append(c).append("\", \"state\": \"RINGBACK\"},\n")
                    .append("  {\"at\": ").append(offset(origin, t[1])).append(", \"call\": \"").append(c)
                    .append("\", \"state\": \"CONNECTED\", \"info\": {\"connected\": \"00493011122233\"}},\n")
                    .append("  {\"at\": ").append(offset(origin, t[2])).append(", \"call\": \"").append(c)
                    .append("\", \"state\": \"DISCONNECTED\"},\n")
                    .append("  {\"after\": 0, \"call\": \"").append(c).append("\", \"state\": \"IDLE\"}");
        }
        return s.append("\n ]}\n").toString();
    }

    private static long offset(Instant origin, Instant t) {
        return Math.max(0, (t.toEpochMilli() - origin.toEpochMilli()));
    }

    /** Per SIP call in the capture, in order: INVITE sent, its 200 OK, BYE. */
    private static List<Instant[]> callTimes(Path capture) throws Exception {
        Map<String, Instant[]> byCall = new LinkedHashMap<>();
        String fields = MirrorLab.stdout("tshark", "-r", capture.toString(), "-Y", "sip", "-T", "fields", "-E",
                "separator=|", "-e", "frame.time_epoch", "-e", "sip.Call-ID", "-e", "sip.Method", "-e",
                "sip.Status-Code", "-e", "sip.CSeq.method");
        for (String line : fields.lines().toList()) {
            String[] f = line.split("\\|", -1);
            Instant t = Instant.ofEpochSecond(0).plusNanos(epochNanos(f[0]));
            Instant[] c = byCall.computeIfAbsent(f[1], k -> new Instant[3]);
            if (f[2].equals("INVITE") && c[0] == null) {
                c[0] = t;
            } else if (f[3].equals("200") && f[4].equals("INVITE") && c[1] == null) {
                c[1] = t;
            } else if (f[2].equals("BYE") && c[2] == null) {
                c[2] = t;
            }
        }
        for (Instant[] c : byCall.values()) {
            if (c[0] == null || c[1] == null || c[2] == null) {
                throw new AssertionError("incomplete SIP call in the capture: " + fields);
            }
        }
        return new ArrayList<>(byCall.values());
    }

    private static long epochNanos(String epoch) {
        String[] p = epoch.split("\\.");
        String frac = (p.length > 1 ? p[1] : "") + "000000000";
        return Long.parseLong(p[0]) * 1_000_000_000L + Long.parseLong(frac.substring(0, 9));
    }

    private record Result(int exit, String log) {
    }

    private Result importFile(Path home, Path capture, Path scenario, Path out) throws Exception {
        Path log = dir.resolve(out.getFileName() + ".log");
        Process p = start(home, capture, scenario, out, log);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "import finishes");
        String text = Files.readString(log);
        System.out.println("CaptureImportScenarioIT import " + capture.getFileName() + " --scenario "
                + scenario.getFileName() + ":\n" + text.lines().filter(l -> l.contains("callrec import"))
                        .reduce((a, b) -> a + "\n" + b).orElse(""));
        return new Result(p.exitValue(), text);
    }

    private static Process start(Path home, Path capture, Path scenario, Path out, Path log) throws IOException {
        return MirrorLab.importProcess(home, capture, out, "--scenario", scenario.toString())
                .redirectOutput(log.toFile()).start();
    }

    private static int freeUdpPort(String address) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0))) {
            return s.getLocalPort();
        }
    }

    /** One sipp call: Alice (UAC on the phone's address, SIP and media on free ports) calls Bob; both stream. */
    private void call(int uacSip, String codec, int pt, Path aliceAudio, Path bobAudio, int holdMillis)
            throws Exception {
        // sipp binds four media ports from -mp (audio and video RTP/RTCP): none may be its SIP port
        int media;
        do {
            media = freeUdpPort(lab.phone) & ~3;
        } while (uacSip >= media && uacSip <= media + 3);
        lab.finish(lab.startCall((++callsMade) + "-" + codec, pt, codec, SippScenarios.rtpStream(aliceAudio, pt),
                SippScenarios.rtpStream(bobAudio, pt), holdMillis, uacSip, media));
    }
}
