package io.bpfscope.export;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * The daemon's standard output, written straight to descriptor 1 rather
 * than through {@code System.out}, which the log may share. A slow reader
 * of the pipe holds up only the export's thread.
 */
final class StandardOutput implements LineSink {

    private final FileChannel out = new FileOutputStream(FileDescriptor.out).getChannel();

    @Override
    public void append(List<byte[]> lines) throws SinkFailure {
        Gather.write(out, lines, 0, lines.size(), 0);
    }

    @Override
    public String name() {
        return "stdout";
    }

    @Override
    public void close() {
        // Descriptor 1 belongs to the process.
    }
}
