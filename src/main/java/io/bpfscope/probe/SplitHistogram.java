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

    /** Room for the values of {@code slots} consecutive slots, reused from range to range. */
    Buffers buffers(Arena arena, int slots) {
        return new Buffers(arena.allocate(perCpu.valueBufferSize() * slots, 8),
                arena.allocate(tail.valueBufferSize() * slots, 8));
    }

    /** Reads slots {@code first} to {@code first + count - 1} into the buffers (see BpfMap.readRange). */
    void readRange(int first, int count, Buffers buffers, boolean batch) {
        perCpu.readRange(first, count, buffers.perCpu, batch);
        tail.readRange(first, count, buffers.tail, batch);
    }

    /** The histogram of the i-th slot of the range last read into the buffers. */
    Log2Histogram histogram(Buffers buffers, int i) {
        MemorySegment slotPerCpu = buffers.perCpu.asSlice(i * perCpu.valueBufferSize(), perCpu.valueBufferSize());
        long tailAt = i * tail.valueBufferSize();
        long[] counts = new long[Log2Histogram.INDEXES];
        perCpu.sumPerCpu(slotPerCpu, denseOffset, counts, first, dense);
        for (int index = 0; index < Log2Histogram.INDEXES; index++) {
            int inDense = index - first;
            if (inDense < 0 || inDense >= dense) {
                counts[index] = buffers.tail.get(ValueLayout.JAVA_LONG, tailAt + 8L * (inDense < 0 ? index : index - dense));
            }
        }
        return new Log2Histogram(counts, perCpu.sumPerCpu(slotPerCpu, sumOffset));
    }

    /** Empties the slot's histogram. */
    void clear(MemorySegment slot, Arena arena) {
        perCpu.update(slot, arena.allocate(perCpu.valueBufferSize(), 8), BpfMap.ANY);
        tail.update(slot, arena.allocate(tail.valueBufferSize(), 8), BpfMap.ANY);
    }

    record Buffers(MemorySegment perCpu, MemorySegment tail) {
    }
}
