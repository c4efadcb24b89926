package io.bpfscope.probe;

import io.bpfscope.histogram.Log2Histogram;
import io.bpfscope.libbpf.BpfMap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * How long execve took on the node, entry to return, by result (see
 * exec.bpf.h): in nanoseconds, in duration buckets. An exec whose entry was
 * evicted before its result (exec_unmatched) is counted, but not timed.
 */
public final class ExecDurations {

    /** Keys of exec_durations: EXEC_SUCCEEDED, EXEC_FAILED. */
    private static final int SUCCEEDED = 0;
    private static final int FAILED = 1;
    private static final long SUM = CounterLayouts.offset(CounterLayouts.DURATION_HISTOGRAM, "sum_ns");
    private static final long COUNTS = CounterLayouts.offset(CounterLayouts.DURATION_HISTOGRAM, "counts");

    private final BpfMap durations;

    ExecDurations(BpfMap durations) {
        this.durations = durations;
    }

    /** The execs that returned 0. */
    public Log2Histogram succeeded() {
        return read(SUCCEEDED);
    }

    /** The execs that failed. */
    public Log2Histogram failed() {
        return read(FAILED);
    }

    private Log2Histogram read(int result) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(durations.valueSize(), 8);
            return durations.lookup(arena.allocateFrom(ValueLayout.JAVA_INT, result), value)
                    ? CounterLayouts.histogram(value, SUM, COUNTS) : Log2Histogram.EMPTY;
        }
    }
}
