package io.bpfscope.filter;

import io.bpfscope.libbpf.BpfMap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The cache_epoch of write.bpf.c, which user space bumps after every change
 * of who is traced, so each CPU's cached "traced or not" is recomputed.
 * Bumped atomically through the mapping, as the programs bump it too.
 */
final class CacheEpoch {

    private static final VarHandle COUNTER = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment counter;

    CacheEpoch(BpfMap map) {
        // Unmapped when collected: the counter lives as long as the filter that bumps it.
        this.counter = map.mapValues(Arena.ofAuto());
    }

    void bump() {
        COUNTER.getAndAdd(counter, 0L, 1L);
    }
}
