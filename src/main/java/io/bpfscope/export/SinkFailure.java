package io.bpfscope.export;

import java.io.IOException;

/** A {@link LineSink} could not take all the lines of an append: the first {@code written} went, the rest did not. */
final class SinkFailure extends IOException {

    private final int written;

    SinkFailure(int written, IOException cause) {
        super(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        this.written = written;
    }

    int written() {
        return written;
    }
}
