package io.bpfscope.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.List;

/** Writes runs of lines with one gathering write per {@value #MOST} lines, as the kernel's limit allows. */
final class Gather {

    /** IOV_MAX on Linux. */
    private static final int MOST = 1024;

    private Gather() {
    }

    /**
     * Writes lines {@code from} (inclusive) to {@code to} (exclusive) whole;
     * on failure says how many lines went, counting {@code before} more
     * already written by the caller.
     */
    static void write(GatheringByteChannel channel, List<byte[]> lines, int from, int to, int before)
            throws SinkFailure {
        ByteBuffer[] buffers = new ByteBuffer[to - from];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = ByteBuffer.wrap(lines.get(from + i));
        }
        int done = 0;
        try {
            while (done < buffers.length) {
                channel.write(buffers, done, Math.min(buffers.length - done, MOST));
                while (done < buffers.length && !buffers[done].hasRemaining()) {
                    done++;
                }
            }
        } catch (IOException e) {
            throw new SinkFailure(before + done, e);
        }
    }
}
