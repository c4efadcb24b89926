package io.bpfscope.probe;

import io.bpfscope.event.EventType;
import io.bpfscope.kernel.KernelFeature;
import io.bpfscope.kernel.KernelPaths;
import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.libbpf.BpfObject;
import io.bpfscope.libbpf.ProgramSpec;
import java.util.List;
import java.util.stream.Stream;

/**
 * sys_enter_write: per-comm-and-cgroup counts of every write, and write
 * records for the PIDs in the filter (see write.bpf.c and {@link WriteObject}).
 */
public final class WriteProbe extends Probe {

    private final boolean mappedState;
    private final WriteCounts counts;

    private WriteProbe(BpfObject object, Buffers buffers, boolean mappedState) {
        super(object, "write", buffers, mappedState);
        this.mappedState = mappedState;
        this.counts = new WriteCounts(object.map(WriteObject.COUNT_SLOTS), object.map(WriteObject.SLOT_COUNTS),
                object.map(WriteObject.SLOT_SIZE_TAILS), object.map(WriteObject.FREE_SLOTS));
    }

    /** The programs loaded on a kernel with these paths. */
    public static List<ProgramSpec> programs(KernelPaths paths) {
        return Stream.concat(Stream.of(WriteObject.WRITE),
                (paths.newer(KernelFeature.THREADS) ? WriteObject.BTF_HOOKS : WriteObject.RAW_HOOKS).stream()).toList();
    }

    public static WriteProbe load(ProbeConfig config, KernelPaths paths) {
        Buffers buffers = new Buffers(paths, config.write().bufferBytes(), config.pollInterval());
        int series = config.write().maxSeries();
        boolean taskStorage = paths.newer(KernelFeature.THREADS);
        boolean mappedState = paths.newer(KernelFeature.FILTER_STATE);
        WriteProbe probe = new WriteProbe(load("write", WriteObject.SOURCE, buffers, paths, programs(paths), object -> {
            ProbeSettings.writeCountSlots(object.map(ObjectMaps.CONFIG).initialValue(), series);
            object.map(WriteObject.COUNT_SLOTS).setMaxEntries(series);
            object.map(WriteObject.FREE_SLOTS).setMaxEntries(series);
            // One slot per (comm, cgroup), and the last for "_other".
            object.map(WriteObject.SLOT_COUNTS).setMaxEntries(series + 1);
            object.map(WriteObject.SLOT_SIZE_TAILS).setMaxEntries(series + 1);
            object.map(WriteObject.TASK_SLOTS).setAutocreate(taskStorage);
            object.map(WriteObject.THREAD_SLOTS).setAutocreate(!taskStorage);
            object.map(WriteObject.PID_CHILDREN).setAutocreate(mappedState);
            object.map(WriteObject.CHILD_PIDS).setAutocreate(!mappedState);
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
        return counts;
    }

    @Override
    public EventType mainType() {
        return EventType.WRITE;
    }

    /** The filter bitmap's words and the selector of the half in force. */
    public BpfMap pidFilterWords() {
        return object.map(WriteObject.PID_FILTER);
    }

    public BpfMap pidFilterBase() {
        return object.map(WriteObject.PID_FILTER_BASE);
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
        return object.map(WriteObject.PID_CHILDREN);
    }

    /** The same set as a hash of PIDs, without. */
    public BpfMap childPids() {
        return object.map(WriteObject.CHILD_PIDS);
    }

    public BpfMap followChildren() {
        return object.map(WriteObject.FOLLOW_CHILDREN);
    }

    /** Bumped after every change of who is traced, among others (each CPU caches the answer). */
    public BpfMap cacheEpoch() {
        return object.map(WriteObject.CACHE_EPOCH);
    }
}
