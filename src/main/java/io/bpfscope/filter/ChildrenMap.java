package io.bpfscope.filter;

import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.probe.WriteProbe;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.TreeSet;

/**
 * followChildren's side of the filter: processes the kernel added at fork
 * because their parent was traced, and removes at exit (see write.bpf.c).
 * The bitmap is mapped into this process; bits are cleared with atomic
 * operations, as the programs set them concurrently.
 */
final class ChildrenMap implements AutoCloseable {

    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();

    private final Arena arena = Arena.ofShared();
    private final MemorySegment bits;
    private final BpfMap follow;
    private final CacheEpoch cacheEpoch;

    ChildrenMap(WriteProbe probe) {
        this.bits = probe.pidChildren().mapValues(arena).asSlice(0, 8L * PidFilterMap.WORDS);
        this.follow = probe.followChildren();
        this.cacheEpoch = new CacheEpoch(probe.cacheEpoch());
    }

    void follow(boolean on) {
        follow.put(0, on ? 1 : 0);
    }

    Set<Integer> pids() {
        Set<Integer> pids = new TreeSet<>();
        for (int word = 0; word < PidFilterMap.WORDS; word++) {
            for (long rest = (long) WORD.getAcquire(bits, 8L * word); rest != 0; rest &= rest - 1) {
                pids.add(word * 64 + Long.numberOfTrailingZeros(rest));
            }
        }
        return pids;
    }

    boolean contains(int pid) {
        return (((long) WORD.getAcquire(bits, 8L * (pid >>> 6))) >>> (pid & 63) & 1) != 0;
    }

    void remove(int pid) {
        WORD.getAndBitwiseAnd(bits, 8L * (pid >>> 6), ~(1L << (pid & 63)));
        cacheEpoch.bump();
    }

    void clear() {
        for (int word = 0; word < PidFilterMap.WORDS; word++) {
            WORD.getAndBitwiseAnd(bits, 8L * word, 0L);
        }
        cacheEpoch.bump();
    }

    @Override
    public void close() {
        arena.close();
    }
}
