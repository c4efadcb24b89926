package io.bpfscope.probe;

import io.bpfscope.libbpf.BpfMap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The in-kernel exec and exit counters and lifetimes (see exec.bpf.h): by the process's cgroup, and
 * under {@link #OTHER_CGROUP} once the map is full. Exact, like the write
 * counters, whatever the stream drops.
 */
public final class ExecCounts {

    /** The cgroup id the execs of cgroups past the map's size count under (no cgroup has it). */
    public static final long OTHER_CGROUP = 0;
    private static final long SUCCESS = CounterLayouts.offset(CounterLayouts.EXEC_COUNT, "success");
    private static final long FAILURE = CounterLayouts.offset(CounterLayouts.EXEC_COUNT, "failure");
    private static final long EXITED = CounterLayouts.offset(CounterLayouts.EXEC_COUNT, "exited");
    private static final long FAILED = CounterLayouts.offset(CounterLayouts.EXEC_COUNT, "failed");
    private static final long KILLED = CounterLayouts.offset(CounterLayouts.EXEC_COUNT, "killed");
    private static final long LIFETIME_SUM = CounterLayouts.offset(CounterLayouts.EXEC_COUNT, "lifetime_ns");
    private static final long LIFETIMES = CounterLayouts.offset(CounterLayouts.EXEC_COUNT, "lifetimes");

    private final BpfMap counts;

    ExecCounts(BpfMap counts) {
        this.counts = counts;
    }

    /** Makes the entry execs count under when the map is full: done once, before the programs are attached. */
    void makeOther() {
        try (Arena arena = Arena.ofConfined()) {
            counts.update(arena.allocateFrom(ValueLayout.JAVA_LONG, OTHER_CGROUP), arena.allocate(counts.valueSize(), 8),
                    BpfMap.NO_EXIST);
        }
    }

    /** A snapshot: execs and exits since the programs were loaded, by cgroup, of the cgroups not retired. */
    public Map<Long, ExecCount> read() {
        Map<Long, ExecCount> totals = new HashMap<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(counts.valueSize(), 8);
            for (MemorySegment key : counts.keys(arena)) {
                if (counts.lookup(key, value)) {
                    totals.put(key.get(ValueLayout.JAVA_LONG, 0), new ExecCount(value.get(ValueLayout.JAVA_LONG, SUCCESS),
                            value.get(ValueLayout.JAVA_LONG, FAILURE), value.get(ValueLayout.JAVA_LONG, EXITED),
                            value.get(ValueLayout.JAVA_LONG, FAILED), value.get(ValueLayout.JAVA_LONG, KILLED),
                            CounterLayouts.histogram(value, LIFETIME_SUM, LIFETIMES)));
                }
            }
        }
        return totals;
    }

    /** Removes the counts of these cgroups, which must be gone; returns how many were removed. */
    public int retire(Set<Long> cgroups) {
        int retired = 0;
        try (Arena arena = Arena.ofConfined()) {
            for (MemorySegment key : counts.keys(arena)) {
                long cgroup = key.get(ValueLayout.JAVA_LONG, 0);
                if (cgroup != OTHER_CGROUP && cgroups.contains(cgroup) && counts.delete(key)) {
                    retired++;
                }
            }
        }
        return retired;
    }

}
