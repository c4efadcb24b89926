package io.bpfscope.filter;

import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.probe.WriteProbe;
import java.util.Set;
import java.util.TreeSet;

/**
 * followChildren's side of the filter: the switch the programs read, and the
 * processes the kernel added at fork because their parent was traced, and
 * removes at exit (see write.bpf.c). Every removal from user space bumps the
 * cache epoch, as the kernel's own changes do.
 */
final class ChildrenMap implements AutoCloseable {

    private final WriteProbe probe;
    private final BpfMap follow;
    private final CacheEpoch cacheEpoch;
    /**
     * Made when followChildren is first on: the programs add children only
     * while it is, and mapping the flags makes all 4 MiB of them resident
     * at once, which a node that never follows children need not pay.
     */
    private volatile ChildSet children;

    ChildrenMap(WriteProbe probe) {
        this.probe = probe;
        this.follow = probe.followChildren();
        this.cacheEpoch = CacheEpoch.of(probe);
    }

    void follow(boolean on) {
        if (on) {
            children();
        }
        follow.put(0, on ? 1 : 0);
    }

    Set<Integer> pids() {
        ChildSet set = children;
        return set == null ? new TreeSet<>() : set.pids();
    }

    boolean contains(int pid) {
        ChildSet set = children;
        return set != null && set.contains(pid);
    }

    void remove(int pid) {
        ChildSet set = children;
        if (set != null) {
            set.remove(pid);
        }
        cacheEpoch.bump();
    }

    void clear() {
        ChildSet set = children;
        if (set != null) {
            set.clear();
        }
        cacheEpoch.bump();
    }

    private ChildSet children() {
        ChildSet set = children;
        if (set == null) {
            synchronized (this) {
                set = children;
                if (set == null) {
                    set = ChildSet.of(probe);
                    children = set;
                }
            }
        }
        return set;
    }

    @Override
    public void close() {
        ChildSet set = children;
        if (set != null) {
            set.close();
        }
    }
}
