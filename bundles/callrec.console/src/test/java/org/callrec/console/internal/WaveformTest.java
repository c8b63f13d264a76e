package org.callrec.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.callrec.api.audio.DtmfEvent;
import org.callrec.api.audio.GapMarker;
import org.callrec.api.call.CallDirection;
import org.callrec.api.mode.IntegrationMode;
import org.callrec.api.storage.RecordingCatalog;
import org.callrec.api.storage.RecordingEntry;
import org.callrec.api.storage.RecordingMetadata;
import org.callrec.api.storage.RecordingPage;
import org.callrec.api.storage.RecordingQuery;
import org.callrec.api.storage.RecordingStatus;
import org.junit.jupiter.api.Test;

/** The waveform endpoint draws the WAV, its gaps and DTMF where they are, as a PNG any decoder reads. */
class WaveformTest {

    static final String ID = "20261126-0123456789abcdef0123456789abcdef";
    static final int FRAMES = 4 * 8000;
    static final GapMarker GAP = new GapMarker(0, 16_000, 4_000, GapMarker.Reason.LOSS);
    static final DtmfEvent DIGIT = new DtmfEvent(1, '5', 8_000, 800, 10);

    /** 4 s stereo: a loud 440 Hz tone on the user's side with 0.5 s of loss (silence), silence on the other. */
    static byte[] wav() {
        ByteBuffer b = ByteBuffer.allocate(44 + FRAMES * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + FRAMES * 4).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 2).putInt(8000).putInt(32000)
                .putShort((short) 4).putShort((short) 16);
        b.put("data".getBytes()).putInt(FRAMES * 4);
        for (int i = 0; i < FRAMES; i++) {
            boolean lost = i >= GAP.startSample() && i < GAP.startSample() + GAP.samples();
            b.putShort(lost ? 0 : (short) (16000 * Math.sin(2 * Math.PI * 440 * i / 8000.0)));
            b.putShort((short) 0);
        }
        return b.array();
    }

    static RecordingEntry entry() {
        RecordingMetadata m = new RecordingMetadata("call-1", List.of(), "2001", "alice", "5551234", null,
                CallDirection.INBOUND, Instant.parse("2026-11-26T10:00:00Z"), 2, IntegrationMode.SHORETEL_TAPI, "rec-1",
                null);
        return new RecordingEntry(ID, m, Instant.parse("2026-11-26T10:00:04Z"), 4000, RecordingStatus.COMPLETE, null,
                List.of("PCMU"), Map.of("packets.lost", 25L), List.of(GAP), List.of(DIGIT), false);
    }

    static RecordingCatalog catalog(byte[] wav) {
        return new RecordingCatalog() {
            @Override
            public Optional<RecordingEntry> get(String id) {
                return ID.equals(id) ? Optional.of(entry()) : Optional.empty();
            }

            @Override
            public RecordingPage search(RecordingQuery query) {
                return new RecordingPage(List.of(entry()), 1);
            }

            @Override
            public Optional<SeekableByteChannel> audioChannel(String id) throws IOException {
                if (!ID.equals(id)) {
                    return Optional.empty();
                }
                Path file = Files.createTempFile("waveform-test", ".wav");
                Files.write(file, wav);
                file.toFile().deleteOnExit();
                return Optional.of(Files.newByteChannel(file));
            }

            @Override
            public boolean legalHold(String id, boolean hold) {
                return false;
            }

            @Override
            public boolean delete(String id) {
                return false;
            }
        };
    }

    static FakeHttp get(String path, String width) throws Exception {
        RestApi api = new RestApi();
        FakeHttp.inject(api, "catalog", catalog(wav()));
        FakeHttp http = new FakeHttp();
        http.pathInfo = path;
        if (width != null) {
            http.parameters.put("width", width);
        }
        api.doGet(http.request(), http.response());
        return http;
    }

    @Test
    void pngShowsBothDirectionsTheGapAndTheDigitWhereTheyHappened() throws Exception {
        FakeHttp http = get("/recordings/" + ID + "/waveform.png", "400");
        assertEquals(200, http.status, http.text());
        assertEquals("image/png", http.contentType);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(http.body.toByteArray()));
        assertNotNull(img, "not a PNG");
        assertEquals(400, img.getWidth());
        assertEquals(2 * Waveform.BAND_HEIGHT + 1, img.getHeight(), "one band per direction");

        // the gap covers samples 16000-20000 of 32000: columns 200-249 of 400, on the user's band only
        int bar = Waveform.BAND_HEIGHT - 1;
        for (int x : new int[] {200, 225, 249}) {
            assertEquals(Waveform.GAP, rgb(img, x, bar), "gap marker at x=" + x);
        }
        for (int x : new int[] {150, 199, 250, 300}) {
            assertNotEquals(Waveform.GAP, rgb(img, x, bar), "no gap at x=" + x);
        }
        assertNotEquals(Waveform.GAP, rgb(img, 225, Waveform.BAND_HEIGHT + 1 + bar), "the other direction has no gap");

        // the tone reaches about half scale: drawn near the band's top quarter outside the gap, not inside it
        int toneRow = (int) ((32767L - 15000) * (Waveform.BAND_HEIGHT - 1) / 65535L);
        assertEquals(Waveform.WAVE, rgb(img, 100, toneRow), "tone drawn at x=100");
        assertNotEquals(Waveform.WAVE, rgb(img, 225, toneRow), "silence drawn as tone inside the gap");

        // the digit 5 at sample 8000 of 32000: column 100, on the other party's band
        int otherTop = Waveform.BAND_HEIGHT + 1;
        assertEquals(Waveform.DTMF, rgb(img, 100, otherTop + 20), "DTMF marker line at x=100");
        assertNotEquals(Waveform.DTMF, rgb(img, 100, 20), "DTMF marker drawn on the wrong direction");
        long glyphPixels = 0;
        for (int x = 102; x < 108; x++) {
            for (int y = otherTop + 1; y < otherTop + 11; y++) {
                glyphPixels += rgb(img, x, y) == Waveform.DTMF ? 1 : 0;
            }
        }
        assertTrue(glyphPixels >= 4 * 9, "the digit is drawn beside the marker: " + glyphPixels + " pixels");
    }

    @Test
    void defaultWidthAndClearErrors() throws Exception {
        FakeHttp ok = get("/recordings/" + ID + "/waveform.png", null);
        assertEquals(800, ImageIO.read(new ByteArrayInputStream(ok.body.toByteArray())).getWidth());
        FakeHttp narrow = get("/recordings/" + ID + "/waveform.png", "10");
        assertEquals(400, narrow.status);
        assertTrue(narrow.text().contains("width"), narrow.text());
        FakeHttp bad = get("/recordings/" + ID + "/waveform.png", "wide");
        assertEquals(400, bad.status);
        FakeHttp missing = get("/recordings/20261126-ffffffffffffffffffffffffffffffff/waveform.png", null);
        assertEquals(404, missing.status);
    }

    @Test
    void aFileThatIsNotWavIsAClearError() throws Exception {
        RestApi api = new RestApi();
        FakeHttp.inject(api, "catalog", catalog("not a wav file at all, just text".getBytes()));
        FakeHttp http = new FakeHttp();
        http.pathInfo = "/recordings/" + ID + "/waveform.png";
        api.doGet(http.request(), http.response());
        assertEquals(500, http.status);
        assertTrue(http.text().contains("not a WAV file"), http.text());
    }

    private static int rgb(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xFFFFFF;
    }
}
