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
 * The flags, a byte per PID, are mapped into this process; each is set and
 * cleared with a byte store, which no store to another PID's flag disturbs.
 */
final class ChildrenMap implements AutoCloseable {

    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle FLAG = ValueLayout.JAVA_BYTE.varHandle();

    private final Arena arena = Arena.ofShared();
    private final MemorySegment flags;
    private final BpfMap follow;
    private final CacheEpoch cacheEpoch;
    /** The programs set flags only while followChildren is on: until it first is, there are none to read. */
    private volatile boolean everFollowed;

    ChildrenMap(WriteProbe probe) {
        this.flags = probe.pidChildren().mapValues(arena).asSlice(0, PidFilterMap.PID_LIMIT);
        this.follow = probe.followChildren();
        this.cacheEpoch = new CacheEpoch(probe.cacheEpoch());
    }

    void follow(boolean on) {
        everFollowed |= on;
        follow.put(0, on ? 1 : 0);
    }

    /**
     * Read eight flags at a time: almost every word is all zeros. Every
     * scrape asks, and the flags span 4 MiB, so not at all before
     * followChildren was first turned on.
     */
    Set<Integer> pids() {
        Set<Integer> pids = new TreeSet<>();
        if (!everFollowed) {
            return pids;
        }
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

    boolean contains(int pid) {
        return (byte) FLAG.getAcquire(flags, (long) pid) != 0;
    }

    void remove(int pid) {
        FLAG.setRelease(flags, (long) pid, (byte) 0);
        cacheEpoch.bump();
    }

    void clear() {
        flags.fill((byte) 0);
        cacheEpoch.bump();
    }

    @Override
    public void close() {
        arena.close();
    }
}
