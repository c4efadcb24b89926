package io.bpfscope.probe;

import io.bpfscope.histogram.Log2Histogram;
import java.util.HashMap;
import java.util.Map;

/**
 * write(2) calls by the bytes they asked to write (the histogram's count is
 * the calls, its sum the bytes); with latency on, how long they took in
 * nanoseconds, and the failed ones by errno (else empty).
 */
public record WriteCount(Log2Histogram sizes, Log2Histogram durations, Map<Integer, Long> errors) {

    public WriteCount {
        errors = Map.copyOf(errors);
    }

    /** Counts with no latency measured. */
    public WriteCount(Log2Histogram sizes) {
        this(sizes, Log2Histogram.EMPTY, Map.of());
    }

    public long calls() {
        return sizes.count();
    }

    public long bytes() {
        return sizes.sum();
    }

    public WriteCount plus(WriteCount other) {
        Map<Integer, Long> both = new HashMap<>(errors);
        other.errors.forEach((errno, count) -> both.merge(errno, count, Long::sum));
        return new WriteCount(sizes.plus(other.sizes), durations.plus(other.durations), both);
    }
}
