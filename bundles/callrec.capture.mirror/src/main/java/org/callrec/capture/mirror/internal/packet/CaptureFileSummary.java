package org.callrec.capture.mirror.internal.packet;

import java.util.List;

/**
 * What reading a capture file gave.
 *
 * @param format "pcap" or "pcapng"
 * @param frames frames handed on
 * @param bytes bytes of those frames
 * @param skippedFrames frames not handed on (unknown interface, unsupported link type), each counted
 *        in {@code problems}
 * @param problems what was wrong, each naming the record or block and its byte offset (at most the
 *        first 100; {@code problemCount} has them all)
 * @param problemCount number of problems
 * @param complete false if a damaged structure stopped reading before the end of the file
 */
public record CaptureFileSummary(String format, long frames, long bytes, long skippedFrames, List<String> problems,
        long problemCount, boolean complete) {

    /** Copies the list. */
    public CaptureFileSummary {
        problems = List.copyOf(problems);
    }
}
