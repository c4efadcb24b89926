package io.bpfscope.probe;

import io.bpfscope.event.CString;
import io.bpfscope.histogram.Log2Histogram;
import io.bpfscope.libbpf.BpfMap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The in-kernel write counters (see write.bpf.c): the (comm, cgroup) to slot
 * table, each slot's writes by size (per CPU up to 64 KiB, shared above),
 * with latency on their durations and failures by errno, and the queue of
 * free slots; the last slot holds the pairs that came when none was free,
 * as "_other". The sums are exact: every write the tracepoint saw is in
 * exactly one slot.
 */
public final class WriteCounts {

    /** The comm of the writes of pairs that found no free slot. */
    public static final String OTHER = "_other";
    private static final long KEY_CGROUP = CounterLayouts.offset(CounterLayouts.COUNT_KEY, "cgroup_id");
    private static final long ERROR_SLOT = CounterLayouts.offset(CounterLayouts.WRITE_ERROR_KEY, "slot");
    /**
     * Slots read at once: a range of each by-slot map is read into memory
     * together, some MiB on a node of many CPUs.
     */
    private static final int READ_RANGE = 128;
    private static final long ERROR_ERRNO = CounterLayouts.offset(CounterLayouts.WRITE_ERROR_KEY, "errno_value");

    /** Who the counts of one slot are of: a command in a cgroup (cgroup 0 with {@link #OTHER}). */
    public record Writer(String comm, long cgroupId) {
    }

    /** The writer of the writes of pairs that found no free slot. */
    public static final Writer OTHER_WRITER = new Writer(OTHER, 0);

    private final BpfMap slots;
    private final BpfMap free;
    private final SplitHistogram sizes;
    private final Optional<Latency> latency;
    private final boolean batchReads;

    /** The maps of write latency, when it is on. */
    record Latency(SplitHistogram durations, BpfMap errors) {
    }

    WriteCounts(BpfMap slots, SplitHistogram sizes, Optional<Latency> latency, BpfMap free, boolean batchReads) {
        this.slots = slots;
        this.sizes = sizes;
        this.latency = latency;
        this.free = free;
        this.batchReads = batchReads;
    }

    /**
     * Puts every slot but "_other" in the free queue, and makes the errors'
     * "_other" entry: done once, before the programs are attached.
     */
    void prepare() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = arena.allocate(ValueLayout.JAVA_INT);
            for (int i = 0; i < slots.maxEntries(); i++) {
                slot.set(ValueLayout.JAVA_INT, 0, i);
                free.push(slot);
            }
            latency.ifPresent(measured -> {
                MemorySegment key = arena.allocate(CounterLayouts.WRITE_ERROR_KEY);
                key.set(ValueLayout.JAVA_INT, ERROR_SLOT, otherSlot());
                measured.errors().update(key, arena.allocate(measured.errors().valueBufferSize(), 8), BpfMap.NO_EXIST);
            });
        }
    }

    /** Whether write latency and errors are measured. */
    public boolean latency() {
        return latency.isPresent();
    }

    /**
     * A snapshot: totals since the programs were loaded, by writer, of the
     * writers not retired. The slots' values are read a range at a time, each
     * map's range in one system call where the kernel batches reads.
     */
    public Map<Writer, WriteCount> read() {
        Map<Writer, WriteCount> totals = new HashMap<>();
        try (Arena arena = Arena.ofConfined()) {
            Map<Integer, Map<Integer, Long>> errors = latency.map(measured -> errorsBySlot(measured.errors(), arena))
                    .orElse(Map.of());
            NavigableMap<Integer, Writer> writers = new TreeMap<>();
            BpfMap.Entries assigned = slots.entries(arena, batchReads);
            for (int i = 0; i < assigned.count(); i++) {
                writers.put(assigned.value(i).get(ValueLayout.JAVA_INT, 0), writer(assigned.key(i)));
            }
            writers.put(otherSlot(), OTHER_WRITER);
            Reading reading = new Reading(arena, errors);
            for (int first = writers.firstKey(); first <= otherSlot(); ) {
                int count = Math.min(READ_RANGE, otherSlot() + 1 - first);
                reading.readRange(first, count);
                for (Map.Entry<Integer, Writer> slot : writers.subMap(first, first + count).entrySet()) {
                    WriteCount slotCount = reading.count(slot.getKey() - first, slot.getKey());
                    if (slot.getValue() != OTHER_WRITER || slotCount.calls() > 0) {
                        totals.put(slot.getValue(), slotCount);
                    }
                }
                Integer next = writers.ceilingKey(first + count);
                first = next == null ? otherSlot() + 1 : next;
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
            for (MemorySegment key : slots.keys(arena)) {
                if (cgroups.contains(key.get(ValueLayout.JAVA_LONG, KEY_CGROUP)) && slots.lookup(key, slot)
                        && slots.delete(key)) {
                    sizes.clear(slot, arena);
                    latency.ifPresent(measured -> {
                        measured.durations().clear(slot, arena);
                        int freed = slot.get(ValueLayout.JAVA_INT, 0);
                        for (MemorySegment error : measured.errors().keys(arena)) {
                            if (error.get(ValueLayout.JAVA_INT, ERROR_SLOT) == freed) {
                                measured.errors().delete(error);
                            }
                        }
                    });
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

    private int otherSlot() {
        return slots.maxEntries();
    }

    private static Writer writer(MemorySegment key) {
        return new Writer(CString.read(key, 0, KEY_CGROUP), key.get(ValueLayout.JAVA_LONG, KEY_CGROUP));
    }

    /** Failed writes by slot, then errno; the "_other" entry's errno 0 stands for any. */
    private Map<Integer, Map<Integer, Long>> errorsBySlot(BpfMap errors, Arena arena) {
        Map<Integer, Map<Integer, Long>> bySlot = new HashMap<>();
        BpfMap.Entries entries = errors.entries(arena, batchReads);
        for (int i = 0; i < entries.count(); i++) {
            long count = errors.sumPerCpu(entries.value(i), 0);
            if (count > 0) {
                MemorySegment key = entries.key(i);
                bySlot.computeIfAbsent(key.get(ValueLayout.JAVA_INT, ERROR_SLOT), slot -> new HashMap<>())
                        .merge(key.get(ValueLayout.JAVA_INT, ERROR_ERRNO), count, Long::sum);
            }
        }
        return bySlot;
    }

    /** One read of every slot, a range at a time, with the buffers it reuses. */
    private final class Reading {
        private final Map<Integer, Map<Integer, Long>> errors;
        private final SplitHistogram.Buffers sizeBuffers;
        private final Optional<SplitHistogram.Buffers> durationBuffers;

        Reading(Arena arena, Map<Integer, Map<Integer, Long>> errors) {
            this.errors = errors;
            this.sizeBuffers = sizes.buffers(arena, READ_RANGE);
            this.durationBuffers = latency.map(measured -> measured.durations().buffers(arena, READ_RANGE));
        }

        void readRange(int first, int count) {
            sizes.readRange(first, count, sizeBuffers, batchReads);
            latency.ifPresent(measured -> measured.durations().readRange(first, count, durationBuffers.orElseThrow(),
                    batchReads));
        }

        /** The counts of the i-th slot of the range last read, slot {@code slot}. */
        WriteCount count(int i, int slot) {
            Log2Histogram durations = latency.map(measured -> measured.durations().histogram(durationBuffers.orElseThrow(), i))
                    .orElse(Log2Histogram.EMPTY);
            return new WriteCount(sizes.histogram(sizeBuffers, i), durations, errors.getOrDefault(slot, Map.of()));
        }
    }
}
