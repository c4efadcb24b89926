package io.bpfscope.probe;

import io.bpfscope.event.CString;
import io.bpfscope.libbpf.BpfMap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the in-kernel write counters (see write.bpf.c): the comm to slot
 * table, and the per-CPU counts of each slot; the last slot holds the comms
 * that came after the cap, as "_other". The sums are exact: every write the
 * tracepoint saw is in exactly one slot.
 */
public final class CommWriteCounts {

    /** The comm label of writes whose comm came after the cap. */
    public static final String OTHER = "_other";
    private static final long CALLS = 0;
    private static final long BYTES = 8;

    private final BpfMap slots;
    private final BpfMap counts;

    CommWriteCounts(BpfMap slots, BpfMap counts) {
        this.slots = slots;
        this.counts = counts;
    }

    /** A snapshot: comm to totals since the programs were loaded. */
    public Map<String, WriteCount> read() {
        Map<String, WriteCount> totals = new HashMap<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(slots.keySize());
            MemorySegment next = arena.allocate(slots.keySize());
            MemorySegment slot = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment value = arena.allocate(counts.valueBufferSize(), 8);
            MemorySegment previous = MemorySegment.NULL;
            while (slots.nextKey(previous, next)) {
                MemorySegment.copy(next, 0, key, 0, key.byteSize());
                previous = key;
                if (slots.lookup(key, slot) && counts.lookup(slot, value)) {
                    add(totals, CString.read(key, 0, key.byteSize()), value);
                }
            }
            slot.set(ValueLayout.JAVA_INT, 0, counts.maxEntries() - 1);
            if (counts.lookup(slot, value) && counts.sumPerCpu(value, CALLS) > 0) {
                add(totals, OTHER, value);
            }
        }
        return totals;
    }

    private void add(Map<String, WriteCount> totals, String comm, MemorySegment value) {
        WriteCount count = new WriteCount(counts.sumPerCpu(value, CALLS), counts.sumPerCpu(value, BYTES));
        totals.merge(comm, count, (a, b) -> new WriteCount(a.calls() + b.calls(), a.bytes() + b.bytes()));
    }
}
