package io.bpfscope.filter;

import io.bpfscope.libbpf.BpfMap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.TreeSet;

/**
 * followChildren's set as a byte per PID, mapped into this process; each is
 * set and cleared with a byte store, which no store to another PID's flag
 * disturbs.
 */
final class ChildFlags implements ChildSet {

    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle FLAG = ValueLayout.JAVA_BYTE.varHandle();

    private final Arena arena = Arena.ofShared();
    private final MemorySegment flags;

    ChildFlags(BpfMap map) {
        this.flags = map.mapValues(arena).asSlice(0, PidFilterMap.PID_LIMIT);
    }

    /** Eight flags at a time: almost every word is all zeros. */
    @Override
    public Set<Integer> pids() {
        Set<Integer> pids = new TreeSet<>();
        for (long word = 0; word < PidFilterMap.PID_LIMIT; word += 8) {
            if ((long) WORD.getAcquire(flags, word) != 0) {
                for (int pid = (int) word; pid < word + 8; pid++) {
                    if (contains(pid)) {
                        pids.add(pid);
                    }
                }
            }
        }
        return pids;
    }

    @Override
    public boolean contains(int pid) {
        return (byte) FLAG.getAcquire(flags, (long) pid) != 0;
    }

    @Override
    public void remove(int pid) {
        FLAG.setRelease(flags, (long) pid, (byte) 0);
    }

    @Override
    public void clear() {
        flags.fill((byte) 0);
    }

    @Override
    public void close() {
        arena.close();
    }
}
