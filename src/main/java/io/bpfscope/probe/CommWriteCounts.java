package io.bpfscope.probe;

import io.bpfscope.event.CString;
import io.bpfscope.libbpf.BpfMap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the in-kernel write counters: per comm from the per-CPU hash, plus
 * the "_other" slot that takes comms once the hash is full. The sums are
 * exact: every write the tracepoint saw is in exactly one of them.
 */
public final class CommWriteCounts {

    /** The comm label of writes whose comm found the per-comm map full. */
    public static final String OTHER = "_other";
    private static final long CALLS = 0;
    private static final long BYTES = 8;

    private final BpfMap perComm;
    private final BpfMap other;

    CommWriteCounts(BpfMap perComm, BpfMap other) {
        this.perComm = perComm;
        this.other = other;
    }

    /** A snapshot: comm to totals since the programs were loaded. */
    public Map<String, WriteCount> read() {
        Map<String, WriteCount> counts = new HashMap<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(perComm.keySize());
            MemorySegment next = arena.allocate(perComm.keySize());
            MemorySegment value = arena.allocate(perComm.valueBufferSize(), 8);
            MemorySegment previous = MemorySegment.NULL;
            while (perComm.nextKey(previous, next)) {
                MemorySegment.copy(next, 0, key, 0, key.byteSize());
                previous = key;
                if (perComm.lookup(key, value)) {
                    counts.merge(CString.read(key, 0, key.byteSize()), total(perComm, value), CommWriteCounts::add);
                }
            }
        }
        long otherCalls = other.sumPerCpu(0, CALLS);
        if (otherCalls > 0) {
            counts.merge(OTHER, new WriteCount(otherCalls, other.sumPerCpu(0, BYTES)), CommWriteCounts::add);
        }
        return counts;
    }

    private static WriteCount total(BpfMap map, MemorySegment value) {
        return new WriteCount(map.sumPerCpu(value, CALLS), map.sumPerCpu(value, BYTES));
    }

    private static WriteCount add(WriteCount a, WriteCount b) {
        return new WriteCount(a.calls() + b.calls(), a.bytes() + b.bytes());
    }
}
