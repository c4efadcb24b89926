package io.bpfscope.export;

import java.io.Closeable;
import java.util.List;

/** A destination of the export's lines. */
interface LineSink extends Closeable {

    /**
     * Appends {@code lines} (each a whole JSON line with its newline) in
     * order. On failure no line is left half written, and the exception says
     * how many of them went.
     */
    void append(List<byte[]> lines) throws SinkFailure;

    /** What the operator knows it by: "stdout", or the file's path. */
    String name();
}
