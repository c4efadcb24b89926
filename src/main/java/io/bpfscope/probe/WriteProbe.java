package io.bpfscope.probe;

import io.bpfscope.kernel.KernelFeature;
import io.bpfscope.kernel.KernelPaths;
import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.libbpf.BpfObject;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * sys_enter_write: per-comm-and-cgroup counts of every write, and write records for the
 * PIDs in the filter (see write.bpf.c). Names write.bpf.o's programs and
 * maps; BundledObjectsTest holds them to the object.
 */
public final class WriteProbe extends Probe {

    /** On every kernel. */
    public static final String WRITE_PROGRAM = "bpfscope_write";
    /** The thread hooks where threads are known by BTF task pointers (KernelFeature.THREADS newer). */
    public static final List<String> BTF_HOOKS = List.of("bpfscope_rename", "bpfscope_cgroup_move", "bpfscope_fork",
            "bpfscope_exit");
    /** The same hooks on raw tracepoints, elsewhere. */
    public static final List<String> RAW_HOOKS = List.of("bpfscope_rename_raw", "bpfscope_cgroup_move_raw",
            "bpfscope_fork_raw", "bpfscope_exit_raw");

    /** Every map of the object, but for libbpf's own (.rodata.config, .bss, .data.epoch). */
    public static final List<String> MAPS = List.of("count_slots", "slot_counts", "free_slots", "task_slots",
            "thread_slots", "last_counted", "pid_filter", "pid_filter_base", "pid_children", "child_pids",
            "follow_children", "write_events", "write_perf", "drops");

    private final boolean mappedState;

    private WriteProbe(BpfObject object, Buffers buffers, boolean mappedState) {
        super(object, "write", buffers);
        this.mappedState = mappedState;
    }

    /** The programs loaded on a kernel with these paths. */
    public static List<String> programs(KernelPaths paths) {
        return Stream.concat(Stream.of(WRITE_PROGRAM),
                (paths.newer(KernelFeature.THREADS) ? BTF_HOOKS : RAW_HOOKS).stream()).toList();
    }

    public static WriteProbe load(ProbeConfig config, KernelPaths paths) {
        Buffers buffers = new Buffers(paths, config.write().bufferBytes(), config.pollInterval());
        int series = config.write().maxSeries();
        boolean taskStorage = paths.newer(KernelFeature.THREADS);
        boolean mappedState = paths.newer(KernelFeature.FILTER_STATE);
        WriteProbe probe = new WriteProbe(load("write", "write", buffers, paths, Set.copyOf(programs(paths)), object -> {
            ProbeSettings.writeCountSlots(object.map(".rodata.config").initialValue(), series);
            object.map("count_slots").setMaxEntries(series);
            object.map("free_slots").setMaxEntries(series);
            // One slot per (comm, cgroup), and the last for "_other".
            object.map("slot_counts").setMaxEntries(series + 1);
            object.map("task_slots").setAutocreate(taskStorage);
            object.map("thread_slots").setAutocreate(!taskStorage);
            object.map("pid_children").setAutocreate(mappedState);
            object.map("child_pids").setAutocreate(!mappedState);
        }), buffers, mappedState);
        try {
            probe.counts().freeAll();
        } catch (RuntimeException e) {
            probe.close();
            throw e;
        }
        return probe;
    }

    public WriteCounts counts() {
        return new WriteCounts(object.map("count_slots"), object.map("slot_counts"), object.map("free_slots"));
    }

    /** The filter bitmap's words and the selector of the half in force. */
    public BpfMap pidFilterWords() {
        return object.map("pid_filter");
    }

    public BpfMap pidFilterBase() {
        return object.map("pid_filter_base");
    }

    /**
     * Whether the state shared with user space (cache epoch, followChildren's
     * set) is mapped into its memory; else it is reached by system calls.
     */
    public boolean mappedState() {
        return mappedState;
    }

    /** followChildren: the kernel-kept flags of followed children (a byte per PID), with mapped state. */
    public BpfMap pidChildren() {
        return object.map("pid_children");
    }

    /** The same set as a hash of PIDs, without. */
    public BpfMap childPids() {
        return object.map("child_pids");
    }

    public BpfMap followChildren() {
        return object.map("follow_children");
    }

    /** Bumped after every change of who is traced, among others (each CPU caches the answer). */
    public BpfMap cacheEpoch() {
        return object.map(".data.epoch");
    }
}
