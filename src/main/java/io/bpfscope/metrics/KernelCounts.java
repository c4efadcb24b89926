package io.bpfscope.metrics;

import io.bpfscope.probe.ExecCount;
import io.bpfscope.probe.ExecCounts;
import io.bpfscope.probe.LoadedProbes;
import io.bpfscope.probe.WriteCount;
import io.bpfscope.probe.WriteCounts;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** One reading of the kernel's write and exec counters, and the cgroups they count. */
record KernelCounts(Map<WriteCounts.Writer, WriteCount> writes, Map<Long, ExecCount> execs) {

    static KernelCounts read(LoadedProbes loaded) {
        return new KernelCounts(loaded.write().counts().read(), loaded.exec().counts().read());
    }

    /** The cgroups counted apart: every one but the exec counters' overflow. */
    Set<Long> cgroups() {
        Set<Long> cgroups = new HashSet<>(execs.keySet());
        writes.keySet().forEach(writer -> cgroups.add(writer.cgroupId()));
        cgroups.remove(ExecCounts.OTHER_CGROUP);
        return cgroups;
    }

    /** Slots of the write counters given to a writer ("_other" is not one). */
    long writeSlotsUsed() {
        return writes.size() - (writes.containsKey(WriteCounts.OTHER_WRITER) ? 1 : 0);
    }
}
