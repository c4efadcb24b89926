package io.bpfscope.probe;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import io.bpfscope.histogram.Log2Histogram;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * The structs of bpfscope.h that the counter maps hold, field by field:
 * count_key (count_slots' key), write_count (slot_counts' value),
 * write_size_tail (slot_size_tails' value) and exec_count (exec_counts' value). LayoutMatchesBtfTest holds them to the
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

    public static final StructLayout EXEC_COUNT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("success"),
            ValueLayout.JAVA_LONG.withName("failure"),
            ValueLayout.JAVA_LONG.withName("exited"),
            ValueLayout.JAVA_LONG.withName("failed"),
            ValueLayout.JAVA_LONG.withName("killed"))
            .withName("exec_count");

    private CounterLayouts() {
    }

    static long offset(StructLayout layout, String field) {
        return layout.byteOffset(groupElement(field));
    }
}
