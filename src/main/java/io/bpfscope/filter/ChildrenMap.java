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

    private final ChildSet children;
    private final BpfMap follow;
    private final CacheEpoch cacheEpoch;
    /** The programs add children only while followChildren is on: until it first is, there are none to read. */
    private volatile boolean everFollowed;

    ChildrenMap(WriteProbe probe) {
        this.children = ChildSet.of(probe);
        this.follow = probe.followChildren();
        this.cacheEpoch = CacheEpoch.of(probe);
    }

    void follow(boolean on) {
        everFollowed |= on;
        follow.put(0, on ? 1 : 0);
    }

    /** Every scrape asks, and the flags span 4 MiB: not read at all before followChildren was first on. */
    Set<Integer> pids() {
        return everFollowed ? children.pids() : new TreeSet<>();
    }

    boolean contains(int pid) {
        return children.contains(pid);
    }

    void remove(int pid) {
        children.remove(pid);
        cacheEpoch.bump();
    }

    void clear() {
        children.clear();
        cacheEpoch.bump();
    }

    @Override
    public void close() {
        children.close();
    }
}
