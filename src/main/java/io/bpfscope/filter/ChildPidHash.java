package io.bpfscope.filter;

import io.bpfscope.libbpf.BpfMap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;
import java.util.TreeSet;

/**
 * followChildren's set as the keys of a BPF hash, where the kernel cannot
 * map an array into this process: each read and removal is one system call,
 * atomic against the kernel adding and removing other PIDs.
 */
final class ChildPidHash implements ChildSet {

    private final BpfMap map;

    ChildPidHash(BpfMap map) {
        this.map = map;
    }

    @Override
    public Set<Integer> pids() {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment key = call.allocate(ValueLayout.JAVA_INT);
            MemorySegment next = call.allocate(ValueLayout.JAVA_INT);
            Set<Integer> pids = new TreeSet<>();
            boolean more = map.nextKey(MemorySegment.NULL, next);
            while (more) {
                pids.add(next.get(ValueLayout.JAVA_INT, 0));
                key.copyFrom(next);
                more = map.nextKey(key, next);
            }
            return pids;
        }
    }

    @Override
    public boolean contains(int pid) {
        try (Arena call = Arena.ofConfined()) {
            return map.lookup(call.allocateFrom(ValueLayout.JAVA_INT, pid), call.allocate(map.valueSize()));
        }
    }

    @Override
    public void remove(int pid) {
        try (Arena call = Arena.ofConfined()) {
            map.delete(call.allocateFrom(ValueLayout.JAVA_INT, pid));
        }
    }

    @Override
    public void clear() {
        // pids() is a copy: deleting while walking the hash's keys would restart the walk.
        pids().forEach(this::remove);
    }

    @Override
    public void close() {
        // The map goes with the probe's object.
    }
}
