package org.callrec.storage.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.callrec.api.rtp.RawPayload;

/**
 * Reads a raw payload file written by {@link OpenRecording} ({@code <id>.ch<N>.<codec>.raw}): the
 * header {@code CALLREC-RAW1 } and the format, then per payload its sample position (8 bytes),
 * length (2 bytes) and bytes, big-endian. A record cut short by a crash ends the list (its bytes
 * never made it to disk); it is reported, not thrown.
 *
 * @param encoding the encoding the header names, upper case (e.g. G729)
 * @param payloads the payloads in the order they were kept
 * @param truncatedBytes bytes of an incomplete last record, 0 normally
 */
record RawPayloadFile(String encoding, List<RawPayload> payloads, long truncatedBytes) {

    static final String MAGIC = "CALLREC-RAW1 ";

    static RawPayloadFile read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
            byte[] magic = new byte[MAGIC.length()];
            try {
                in.readFully(magic);
            } catch (EOFException e) {
                throw new IOException(file + " is not a callrec raw payload file: shorter than its header");
            }
            if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
                throw new IOException(file + " is not a callrec raw payload file: header '"
                        + new String(magic, StandardCharsets.US_ASCII) + "'");
            }
            String format = in.readUTF();
            int slash = format.indexOf('/');
            String encoding = (slash > 0 ? format.substring(0, slash) : format).trim().toUpperCase(Locale.ROOT);
            List<RawPayload> payloads = new ArrayList<>();
            long truncated = 0;
            while (true) {
                int first = in.read();
                if (first < 0) {
                    break;
                }
                byte[] head = new byte[10];
                head[0] = (byte) first;
                int got = 1 + in.readNBytes(head, 1, 9);
                if (got < 10) {
                    truncated = got;
                    break;
                }
                long position = 0;
                for (int i = 0; i < 8; i++) {
                    position = position << 8 | head[i] & 0xFF;
                }
                int length = (head[8] & 0xFF) << 8 | head[9] & 0xFF;
                byte[] payload = in.readNBytes(length);
                if (payload.length < length) {
                    truncated = 10L + payload.length;
                    break;
                }
                if (position < 0) {
                    throw new IOException(file + ": payload " + payloads.size() + " has an impossible position "
                            + position);
                }
                payloads.add(new RawPayload(position, payload));
            }
            return new RawPayloadFile(encoding, payloads, truncated);
        }
    }
}
