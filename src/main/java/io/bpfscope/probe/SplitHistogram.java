package io.bpfscope.probe;

import io.bpfscope.histogram.Log2Histogram;
import io.bpfscope.libbpf.BpfMap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A histogram per write slot kept in two maps, as the write program keeps its
 * sizes and durations: the common indexes, {@code first} and the
 * {@code dense} after it, per CPU beside the sum; the others in a shared tail,
 * in order, skipping the dense ones.
 */
final class SplitHistogram {

    private final BpfMap perCpu;
    private final BpfMap tail;
    private final long sumOffset;
    private final long denseOffset;
    private final int first;
    private final int dense;

    SplitHistogram(BpfMap perCpu, BpfMap tail, long sumOffset, long denseOffset, int first, int dense) {
        this.perCpu = perCpu;
        this.tail = tail;
        this.sumOffset = sumOffset;
        this.denseOffset = denseOffset;
        this.first = first;
        this.dense = dense;
    }

    /** Room for one slot's values, reused from slot to slot. */
    Buffers buffers(Arena arena) {
        return new Buffers(arena.allocate(perCpu.valueBufferSize(), 8), arena.allocate(tail.valueBufferSize(), 8));
    }

    /** The slot's histogram, or null if a map lacks it. */
    Log2Histogram read(MemorySegment slot, Buffers buffers) {
        if (!perCpu.lookup(slot, buffers.perCpu) || !tail.lookup(slot, buffers.tail)) {
            return null;
        }
        long[] counts = new long[Log2Histogram.INDEXES];
        perCpu.sumPerCpu(buffers.perCpu, denseOffset, counts, first, dense);
        for (int index = 0; index < Log2Histogram.INDEXES; index++) {
            int inDense = index - first;
            if (inDense < 0 || inDense >= dense) {
                counts[index] = buffers.tail.get(ValueLayout.JAVA_LONG, 8L * (inDense < 0 ? index : index - dense));
            }
        }
        return new Log2Histogram(counts, perCpu.sumPerCpu(buffers.perCpu, sumOffset));
    }

    /** Empties the slot's histogram. */
    void clear(MemorySegment slot, Arena arena) {
        perCpu.update(slot, arena.allocate(perCpu.valueBufferSize(), 8), BpfMap.ANY);
        tail.update(slot, arena.allocate(tail.valueBufferSize(), 8), BpfMap.ANY);
    }

    record Buffers(MemorySegment perCpu, MemorySegment tail) {
    }
}
