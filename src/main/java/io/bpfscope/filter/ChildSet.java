package io.bpfscope.filter;

import io.bpfscope.probe.WriteProbe;
import java.util.Set;

/**
 * Where the kernel keeps followChildren's PIDs: added at fork when the
 * parent is traced, removed at exit (see write.bpf.c). User space reads it
 * and removes the PIDs it is told to stop tracing.
 */
sealed interface ChildSet extends AutoCloseable permits ChildFlags, ChildPidHash {

    Set<Integer> pids();

    boolean contains(int pid);

    void remove(int pid);

    void clear();

    @Override
    void close();

    /** Flags mapped into this process where the kernel allows it, else a hash reached by system calls. */
    static ChildSet of(WriteProbe probe) {
        return probe.mappedState() ? new ChildFlags(probe.pidChildren()) : new ChildPidHash(probe.childPids());
    }
}
