package io.bpfscope.probe;

import io.bpfscope.libbpf.BpfMap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The drop_counts of drops.bpf.h: read from this process's mapping of them
 * where the kernel maps arrays, a memory load per counter that the readers
 * can afford after every drain; else all of them by one lookup.
 */
final class DropCounts implements AutoCloseable {

    static final long BYTES = (long) DropReason.values().length * Long.BYTES;
    private static final VarHandle COUNTER = ValueLayout.JAVA_LONG.varHandle();

    private final BpfMap map;
    private final Arena arena;
    private final MemorySegment mapped;

    DropCounts(BpfMap map, boolean mappable) {
        this.map = map;
        this.arena = mappable ? Arena.ofShared() : null;
        this.mapped = mappable ? map.mapValues(arena) : null;
    }

    /** Every counter, indexed by {@link DropReason#ordinal()}. */
    long[] all() {
        long[] counts = new long[DropReason.values().length];
        if (mapped != null) {
            for (DropReason reason : DropReason.values()) {
                counts[reason.ordinal()] = (long) COUNTER.getAcquire(mapped, reason.offset());
            }
            return counts;
        }
        try (Arena call = Arena.ofConfined()) {
            MemorySegment value = call.allocate(BYTES);
            if (map.lookup(call.allocateFrom(ValueLayout.JAVA_INT, 0), value)) {
                for (DropReason reason : DropReason.values()) {
                    counts[reason.ordinal()] = value.get(ValueLayout.JAVA_LONG, reason.offset());
                }
            }
        }
        return counts;
    }

    @Override
    public void close() {
        if (arena != null) {
            arena.close();
        }
    }
}
