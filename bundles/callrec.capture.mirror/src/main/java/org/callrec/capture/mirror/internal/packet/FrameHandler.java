package org.callrec.capture.mirror.internal.packet;

/** Takes captured link-layer frames; {@link FrameDecoder#frame} is one. */
@FunctionalInterface
public interface FrameHandler {

    /**
     * @param linkType the LINKTYPE of the frame's interface
     * @param buf buffer holding the frame; valid only during this call
     * @param off first byte
     * @param capturedLength bytes captured
     * @param originalLength bytes on the wire
     * @param timestampNanos capture time, nanoseconds since the epoch
     */
    void frame(int linkType, byte[] buf, int off, int capturedLength, int originalLength, long timestampNanos);
}
