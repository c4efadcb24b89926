package io.bpfscope.probe;

import io.bpfscope.event.CString;
import io.bpfscope.histogram.Log2Histogram;
import io.bpfscope.libbpf.BpfMap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The in-kernel write counters (see write.bpf.c): the (comm, cgroup) to slot
 * table, each slot's writes by size (per CPU up to 64 KiB, shared above),
 * and the queue of free slots; the
 * last slot holds the pairs that came when none was free, as "_other". The
 * sums are exact: every write the tracepoint saw is in exactly one slot.
 */
public final class WriteCounts {

    /** The comm of the writes of pairs that found no free slot. */
    public static final String OTHER = "_other";
    private static final long BYTES = CounterLayouts.offset(CounterLayouts.WRITE_COUNT, "bytes");
    private static final long SIZES = CounterLayouts.offset(CounterLayouts.WRITE_COUNT, "sizes");
    private static final long KEY_CGROUP = CounterLayouts.offset(CounterLayouts.COUNT_KEY, "cgroup_id");

    /** Who the counts of one slot are of: a command in a cgroup (cgroup 0 with {@link #OTHER}). */
    public record Writer(String comm, long cgroupId) {
    }

    /** The writer of the writes of pairs that found no free slot. */
    public static final Writer OTHER_WRITER = new Writer(OTHER, 0);

    private final BpfMap slots;
    private final BpfMap counts;
    private final BpfMap tails;
    private final BpfMap free;

    WriteCounts(BpfMap slots, BpfMap counts, BpfMap tails, BpfMap free) {
        this.slots = slots;
        this.counts = counts;
        this.tails = tails;
        this.free = free;
    }

    /** Puts every slot but "_other" in the free queue: done once, before the programs are attached. */
    void freeAll() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = arena.allocate(ValueLayout.JAVA_INT);
            for (int i = 0; i < slots.maxEntries(); i++) {
                slot.set(ValueLayout.JAVA_INT, 0, i);
                free.push(slot);
            }
        }
    }

    /** A snapshot: totals since the programs were loaded, by writer, of the writers not retired. */
    public Map<Writer, WriteCount> read() {
        Map<Writer, WriteCount> totals = new HashMap<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = arena.allocate(ValueLayout.JAVA_INT);
            SlotBuffers buffers = new SlotBuffers(arena);
            for (MemorySegment key : slots.keys(arena)) {
                if (slots.lookup(key, slot)) {
                    count(slot, buffers).ifPresent(count -> totals.put(writer(key), count));
                }
            }
            slot.set(ValueLayout.JAVA_INT, 0, counts.maxEntries() - 1);
            count(slot, buffers).filter(other -> other.calls() > 0).ifPresent(other -> totals.put(OTHER_WRITER, other));
        }
        return totals;
    }

    /**
     * Frees the slots of every writer in these cgroups, which must be gone
     * (no thread can count into a slot of theirs again); their counts go with
     * them. Returns how many slots were freed.
     */
    public int retire(Set<Long> cgroups) {
        int retired = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment zero = arena.allocate(counts.valueBufferSize(), 8);
            MemorySegment zeroTail = arena.allocate(tails.valueBufferSize(), 8);
            for (MemorySegment key : slots.keys(arena)) {
                if (cgroups.contains(key.get(ValueLayout.JAVA_LONG, KEY_CGROUP)) && slots.lookup(key, slot)
                        && slots.delete(key)) {
                    counts.update(slot, zero, BpfMap.ANY);
                    tails.update(slot, zeroTail, BpfMap.ANY);
                    free.push(slot);
                    retired++;
                }
            }
        }
        return retired;
    }

    /** Slots writers can be given, "_other" aside. */
    public int capacity() {
        return slots.maxEntries();
    }


    private static Writer writer(MemorySegment key) {
        return new Writer(CString.read(key, 0, KEY_CGROUP), key.get(ValueLayout.JAVA_LONG, KEY_CGROUP));
    }

    /** A slot's writes by size: the per-CPU buckets summed, then the tail's; empty if the slot is not there. */
    private Optional<WriteCount> count(MemorySegment slot, SlotBuffers buffers) {
        if (!counts.lookup(slot, buffers.perCpu) || !tails.lookup(slot, buffers.tail)) {
            return Optional.empty();
        }
        long[] sizes = new long[Log2Histogram.INDEXES];
        for (int index = 0; index < CounterLayouts.WRITE_SIZE_DENSE; index++) {
            sizes[index] = counts.sumPerCpu(buffers.perCpu, SIZES + 8L * index);
        }
        for (int index = CounterLayouts.WRITE_SIZE_DENSE; index < Log2Histogram.INDEXES; index++) {
            sizes[index] = buffers.tail.get(ValueLayout.JAVA_LONG, 8L * (index - CounterLayouts.WRITE_SIZE_DENSE));
        }
        return Optional.of(new WriteCount(new Log2Histogram(sizes, counts.sumPerCpu(buffers.perCpu, BYTES))));
    }

    /** Room for one slot's value in each map, reused from slot to slot. */
    private final class SlotBuffers {
        final MemorySegment perCpu;
        final MemorySegment tail;

        SlotBuffers(Arena arena) {
            perCpu = arena.allocate(counts.valueBufferSize(), 8);
            tail = arena.allocate(tails.valueBufferSize(), 8);
        }
    }
}
