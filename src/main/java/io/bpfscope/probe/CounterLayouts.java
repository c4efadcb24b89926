package io.bpfscope.probe;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import io.bpfscope.histogram.Log2Histogram;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * The structs of bpfscope.h that the counter maps hold, field by field:
 * count_key (count_slots' key), write_count (slot_counts' value),
 * write_size_tail (slot_size_tails' value), write_latency and
 * write_latency_tail (slot_latencies', slot_latency_tails'), write_error_key
 * (write_errors' key), exec_count (exec_counts' value) and
 * duration_histogram (exec_durations' value). LayoutMatchesBtfTest holds them to the
 * BTF clang emits.
 */
public final class CounterLayouts {

    public static final StructLayout COUNT_KEY = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_BYTE).withName("comm"),
            ValueLayout.JAVA_LONG.withName("cgroup_id"))
            .withName("count_key");

    /** Size indexes counted per CPU (WRITE_SIZE_DENSE); the rest are in the slot's tail. */
    public static final int WRITE_SIZE_DENSE = 18;

    public static final StructLayout WRITE_COUNT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("bytes"),
            MemoryLayout.sequenceLayout(WRITE_SIZE_DENSE, ValueLayout.JAVA_LONG).withName("sizes"))
            .withName("write_count");

    public static final StructLayout WRITE_SIZE_TAIL = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(Log2Histogram.INDEXES - WRITE_SIZE_DENSE, ValueLayout.JAVA_LONG).withName("sizes"))
            .withName("write_size_tail");

    /** The first duration index counted per CPU (WRITE_LATENCY_FIRST), and how many are (WRITE_LATENCY_DENSE). */
    public static final int WRITE_LATENCY_FIRST = 7;
    public static final int WRITE_LATENCY_DENSE = 25;

    public static final StructLayout WRITE_LATENCY = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("sum_ns"),
            MemoryLayout.sequenceLayout(WRITE_LATENCY_DENSE, ValueLayout.JAVA_LONG).withName("durations"))
            .withName("write_latency");

    public static final StructLayout WRITE_LATENCY_TAIL = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(Log2Histogram.INDEXES - WRITE_LATENCY_DENSE, ValueLayout.JAVA_LONG)
                    .withName("durations"))
            .withName("write_latency_tail");

    public static final StructLayout WRITE_ERROR_KEY = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("slot"),
            ValueLayout.JAVA_INT.withName("errno_value"))
            .withName("write_error_key");

    public static final StructLayout EXEC_COUNT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("success"),
            ValueLayout.JAVA_LONG.withName("failure"),
            ValueLayout.JAVA_LONG.withName("exited"),
            ValueLayout.JAVA_LONG.withName("failed"),
            ValueLayout.JAVA_LONG.withName("killed"),
            ValueLayout.JAVA_LONG.withName("lifetime_ns"),
            MemoryLayout.sequenceLayout(Log2Histogram.INDEXES, ValueLayout.JAVA_LONG).withName("lifetimes"))
            .withName("exec_count");

    public static final StructLayout DURATION_HISTOGRAM = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("sum_ns"),
            MemoryLayout.sequenceLayout(Log2Histogram.INDEXES, ValueLayout.JAVA_LONG).withName("counts"))
            .withName("duration_histogram");

    private CounterLayouts() {
    }

    static long offset(StructLayout layout, String field) {
        return layout.byteOffset(groupElement(field));
    }

    /** A histogram of every index, at these offsets of a value read from a map. */
    static Log2Histogram histogram(MemorySegment value, long sumOffset, long countsOffset) {
        long[] counts = new long[Log2Histogram.INDEXES];
        MemorySegment.copy(value, ValueLayout.JAVA_LONG, countsOffset, counts, 0, counts.length);
        return new Log2Histogram(counts, value.get(ValueLayout.JAVA_LONG, sumOffset));
    }
}
