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

    /** The maps of write latency, when it is on. */
    record Latency(SplitHistogram durations, BpfMap errors) {
    }

    WriteCounts(BpfMap slots, SplitHistogram sizes, Optional<Latency> latency, BpfMap free) {
        this.slots = slots;
        this.sizes = sizes;
        this.latency = latency;
        this.free = free;
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

    /** A snapshot: totals since the programs were loaded, by writer, of the writers not retired. */
    public Map<Writer, WriteCount> read() {
        Map<Writer, WriteCount> totals = new HashMap<>();
        try (Arena arena = Arena.ofConfined()) {
            Map<Integer, Map<Integer, Long>> errors = latency.map(measured -> errorsBySlot(measured.errors(), arena))
                    .orElse(Map.of());
            MemorySegment slot = arena.allocate(ValueLayout.JAVA_INT);
            Reading reading = new Reading(arena, errors);
            for (MemorySegment key : slots.keys(arena)) {
                if (slots.lookup(key, slot)) {
                    reading.count(slot).ifPresent(count -> totals.put(writer(key), count));
                }
            }
            slot.set(ValueLayout.JAVA_INT, 0, otherSlot());
            reading.count(slot).filter(other -> other.calls() > 0).ifPresent(other -> totals.put(OTHER_WRITER, other));
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
    private static Map<Integer, Map<Integer, Long>> errorsBySlot(BpfMap errors, Arena arena) {
        Map<Integer, Map<Integer, Long>> bySlot = new HashMap<>();
        MemorySegment value = arena.allocate(errors.valueBufferSize(), 8);
        for (MemorySegment key : errors.keys(arena)) {
            if (errors.lookup(key, value)) {
                long count = errors.sumPerCpu(value, 0);
                if (count > 0) {
                    bySlot.computeIfAbsent(key.get(ValueLayout.JAVA_INT, ERROR_SLOT), slot -> new HashMap<>())
                            .merge(key.get(ValueLayout.JAVA_INT, ERROR_ERRNO), count, Long::sum);
                }
            }
        }
        return bySlot;
    }

    /** One read of every slot, with the buffers it reuses. */
    private final class Reading {
        private final Map<Integer, Map<Integer, Long>> errors;
        private final SplitHistogram.Buffers sizeBuffers;
        private final Optional<SplitHistogram.Buffers> durationBuffers;

        Reading(Arena arena, Map<Integer, Map<Integer, Long>> errors) {
            this.errors = errors;
            this.sizeBuffers = sizes.buffers(arena);
            this.durationBuffers = latency.map(measured -> measured.durations().buffers(arena));
        }

        /** A slot's counts; empty if the slot is not there. */
        Optional<WriteCount> count(MemorySegment slot) {
            Log2Histogram bySize = sizes.read(slot, sizeBuffers);
            if (bySize == null) {
                return Optional.empty();
            }
            Log2Histogram durations = latency.map(measured -> measured.durations().read(slot, durationBuffers.orElseThrow()))
                    .orElse(Log2Histogram.EMPTY);
            return Optional.of(new WriteCount(bySize, durations,
                    errors.getOrDefault(slot.get(ValueLayout.JAVA_INT, 0), Map.of())));
        }
    }
}
