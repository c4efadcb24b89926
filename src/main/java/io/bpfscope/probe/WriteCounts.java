package io.bpfscope.probe;

import io.bpfscope.event.CString;
import io.bpfscope.libbpf.BpfMap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The in-kernel write counters (see write.bpf.c): the (comm, cgroup) to slot
 * table, the per-CPU counts of each slot, and the queue of free slots; the
 * last slot holds the pairs that came when none was free, as "_other". The
 * sums are exact: every write the tracepoint saw is in exactly one slot.
 */
public final class WriteCounts {

    /** The comm of the writes of pairs that found no free slot. */
    public static final String OTHER = "_other";
    private static final long CALLS = CounterLayouts.offset(CounterLayouts.WRITE_COUNT, "calls");
    private static final long BYTES = CounterLayouts.offset(CounterLayouts.WRITE_COUNT, "bytes");
    private static final long KEY_CGROUP = CounterLayouts.offset(CounterLayouts.COUNT_KEY, "cgroup_id");

    /** Who the counts of one slot are of: a command in a cgroup (cgroup 0 with {@link #OTHER}). */
    public record Writer(String comm, long cgroupId) {
    }

    /** The writer of the writes of pairs that found no free slot. */
    public static final Writer OTHER_WRITER = new Writer(OTHER, 0);

    private final BpfMap slots;
    private final BpfMap counts;
    private final BpfMap free;

    WriteCounts(BpfMap slots, BpfMap counts, BpfMap free) {
        this.slots = slots;
        this.counts = counts;
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
            MemorySegment value = arena.allocate(counts.valueBufferSize(), 8);
            for (MemorySegment key : slots.keys(arena)) {
                if (slots.lookup(key, slot) && counts.lookup(slot, value)) {
                    totals.put(writer(key), count(value));
                }
            }
            slot.set(ValueLayout.JAVA_INT, 0, counts.maxEntries() - 1);
            if (counts.lookup(slot, value) && counts.sumPerCpu(value, CALLS) > 0) {
                totals.put(OTHER_WRITER, count(value));
            }
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
            for (MemorySegment key : slots.keys(arena)) {
                if (cgroups.contains(key.get(ValueLayout.JAVA_LONG, KEY_CGROUP)) && slots.lookup(key, slot)
                        && slots.delete(key)) {
                    counts.update(slot, zero, BpfMap.ANY);
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

    private WriteCount count(MemorySegment value) {
        return new WriteCount(counts.sumPerCpu(value, CALLS), counts.sumPerCpu(value, BYTES));
    }
}
