package io.bpfscope.export;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The export's file, in the shape log shippers follow: FILE grows to at
 * most {@code maxBytes}; the line that would pass it first moves FILE to
 * FILE.1 (FILE.1 to FILE.2 and so on, the oldest beyond {@code keep}
 * deleted) and starts a new FILE. A line is never split across files, and
 * a write that fails (disk full) is cut back to the last whole line. A file
 * that cannot be opened is tried again at the next append.
 */
final class RotatingFile implements LineSink {

    private final Path path;
    private final long maxBytes;
    private final int keep;
    private FileChannel channel;
    private long size;

    RotatingFile(Path path, long maxBytes, int keep) {
        this.path = path;
        this.maxBytes = maxBytes;
        this.keep = keep;
    }

    @Override
    public void append(List<byte[]> lines) throws SinkFailure {
        int written = 0;
        try {
            open();
        } catch (IOException e) {
            throw new SinkFailure(0, e);
        }
        int from = 0;
        long pending = 0;
        for (int i = 0; i < lines.size(); i++) {
            int length = lines.get(i).length;
            if (size + pending + length > maxBytes && size + pending > 0) {
                flush(lines, from, i, pending, written);
                written = i;
                from = i;
                pending = 0;
                try {
                    rotate();
                } catch (IOException e) {
                    throw new SinkFailure(written, e);
                }
            }
            pending += length;
        }
        flush(lines, from, lines.size(), pending, written);
    }

    /**
     * Writes lines [from, to), {@code bytes} in all; when the disk takes only
     * part of them, keeps the lines it took whole and cuts the one it took in
     * part away, so the file ends with a whole line.
     */
    private void flush(List<byte[]> lines, int from, int to, long bytes, int before) throws SinkFailure {
        if (from == to) {
            return;
        }
        try {
            Gather.write(channel, lines, from, to, before);
            size += bytes;
        } catch (SinkFailure failure) {
            for (int i = from; i < from + failure.written() - before; i++) {
                size += lines.get(i).length;
            }
            cutBack();
            throw failure;
        }
    }

    /** Drops a line written in part: the file ends at its last whole line again. */
    private void cutBack() {
        try {
            channel.truncate(size);
        } catch (IOException e) {
            // Reopened, it is measured again: the next run starts after whatever is there.
            closeQuietly();
        }
    }

    private void open() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            size = channel.size();
        }
    }

    private void rotate() throws IOException {
        closeQuietly();
        Files.deleteIfExists(numbered(keep));
        for (int i = keep - 1; i >= 1; i--) {
            if (Files.exists(numbered(i))) {
                Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(path, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    private Path numbered(int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }

    private void closeQuietly() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing a file written with plain writes reports nothing worth keeping.
            }
            channel = null;
        }
    }

    @Override
    public String name() {
        return path.toString();
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
