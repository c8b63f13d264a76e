package org.callrec.sip.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.IntPredicate;

import org.callrec.api.sip.SipPacketSink;

/** Feeds the UDP/TCP payloads of a capture file on the given ports to a {@link SipPacketSink}. */
final class PcapFeeder {

    /** What a file held. */
    record Counts(int frames, int fed, int skipped) {
    }

    private PcapFeeder() {
    }

    static Counts feed(Path file, IntPredicate sipPort, SipPacketSink sink) throws IOException {
        int frames = 0;
        int fed = 0;
        int skipped = 0;
        for (PcapFile.Frame f : PcapFile.read(file)) {
            frames++;
            PacketDecoder.Segment s = PacketDecoder.decode(f);
            if (s == null) {
                skipped++;
                continue;
            }
            if (s.payload().length == 0
                    || !(sipPort.test(s.source().getPort()) || sipPort.test(s.destination().getPort()))) {
                continue;
            }
            sink.onPayload(s.transport(), s.source(), s.destination(), s.time(), ByteBuffer.wrap(s.payload()));
            fed++;
        }
        return new Counts(frames, fed, skipped);
    }
}
