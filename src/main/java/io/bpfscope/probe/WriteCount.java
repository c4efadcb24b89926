package io.bpfscope.probe;

import io.bpfscope.histogram.Log2Histogram;

/** write(2) calls by the bytes they asked to write: the histogram's count is the calls, its sum the bytes. */
public record WriteCount(Log2Histogram sizes) {

    public long calls() {
        return sizes.count();
    }

    public long bytes() {
        return sizes.sum();
    }

    public WriteCount plus(WriteCount other) {
        return new WriteCount(sizes.plus(other.sizes));
    }
}
