package io.bpfscope.filter;

import io.bpfscope.libbpf.BpfMap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/** The cache epoch mapped into this process: bumped atomically, as the programs bump it too. */
final class MappedCacheEpoch implements CacheEpoch {

    private static final VarHandle COUNTER = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment counter;

    MappedCacheEpoch(BpfMap map) {
        // Unmapped when collected: the counter lives as long as the filter that bumps it.
        this.counter = map.mapValues(Arena.ofAuto());
    }

    @Override
    public void bump() {
        COUNTER.getAndAdd(counter, 0L, 1L);
    }
}
