package io.bpfscope.probe;

import io.bpfscope.event.EventType;
import io.bpfscope.kernel.KernelFeature;
import io.bpfscope.kernel.KernelPaths;
import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.libbpf.BpfObject;
import io.bpfscope.libbpf.MapSpec;
import io.bpfscope.libbpf.ProgramSpec;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * sys_enter_write: per-comm-and-cgroup counts of every write, and write
 * records for the PIDs in the filter (see write.bpf.c and {@link WriteObject}).
 */
public final class WriteProbe extends Probe {

    private final boolean mappedState;
    private final WriteCounts counts;

    private WriteProbe(BpfObject object, Buffers buffers, boolean mappedState, boolean latency, boolean batchReads) {
        super(object, "write", buffers, mappedState);
        this.mappedState = mappedState;
        SplitHistogram sizes = new SplitHistogram(object.map(WriteObject.SLOT_COUNTS), object.map(WriteObject.SLOT_SIZE_TAILS),
                CounterLayouts.offset(CounterLayouts.WRITE_COUNT, "bytes"),
                CounterLayouts.offset(CounterLayouts.WRITE_COUNT, "sizes"), 0, CounterLayouts.WRITE_SIZE_DENSE);
        Optional<WriteCounts.Latency> measured = latency ? Optional.of(new WriteCounts.Latency(
                new SplitHistogram(object.map(WriteObject.SLOT_LATENCIES), object.map(WriteObject.SLOT_LATENCY_TAILS),
                        CounterLayouts.offset(CounterLayouts.WRITE_LATENCY, "sum_ns"),
                        CounterLayouts.offset(CounterLayouts.WRITE_LATENCY, "durations"),
                        CounterLayouts.WRITE_LATENCY_FIRST, CounterLayouts.WRITE_LATENCY_DENSE),
                object.map(WriteObject.WRITE_ERRORS))) : Optional.empty();
        this.counts = new WriteCounts(object.map(WriteObject.COUNT_SLOTS), sizes, measured,
                object.map(WriteObject.FREE_SLOTS), batchReads);
    }

    /** The programs loaded on a kernel with these paths, with write latency on or off. */
    public static List<ProgramSpec> programs(KernelPaths paths, boolean latency) {
        return Stream.of(Stream.of(WriteObject.WRITE), latency ? Stream.of(WriteObject.WRITE_EXIT) : Stream.<ProgramSpec>empty(),
                (paths.newer(KernelFeature.THREADS) ? WriteObject.BTF_HOOKS : WriteObject.RAW_HOOKS).stream())
                .flatMap(programs -> programs).toList();
    }

    public static WriteProbe load(ProbeConfig config, KernelPaths paths) {
        Buffers buffers = new Buffers(paths, config.write().bufferBytes(), config.pollInterval());
        int series = config.write().maxSeries();
        boolean latency = config.write().latency().enabled();
        boolean taskStorage = paths.newer(KernelFeature.THREADS);
        boolean mappedState = paths.newer(KernelFeature.FILTER_STATE);
        WriteProbe probe = new WriteProbe(load("write", WriteObject.SOURCE, buffers, paths, programs(paths, latency), object -> {
            ProbeSettings.writeCountSlots(object.map(ObjectMaps.CONFIG).initialValue(), series);
            ProbeSettings.writeLatency(object.map(ObjectMaps.CONFIG).initialValue(), latency);
            object.map(WriteObject.COUNT_SLOTS).setMaxEntries(series);
            object.map(WriteObject.FREE_SLOTS).setMaxEntries(series);
            // One slot per (comm, cgroup), and the last for "_other".
            for (MapSpec bySlot : List.of(WriteObject.SLOT_COUNTS, WriteObject.SLOT_SIZE_TAILS, WriteObject.SLOT_LATENCIES,
                    WriteObject.SLOT_LATENCY_TAILS)) {
                object.map(bySlot).setMaxEntries(series + 1);
            }
            object.map(WriteObject.TASK_SLOTS).setAutocreate(taskStorage);
            object.map(WriteObject.THREAD_SLOTS).setAutocreate(!taskStorage);
            object.map(WriteObject.TASK_WRITE_STARTS).setAutocreate(latency && taskStorage);
            object.map(WriteObject.THREAD_WRITE_STARTS).setAutocreate(latency && !taskStorage);
            for (MapSpec measured : List.of(WriteObject.SLOT_LATENCIES, WriteObject.SLOT_LATENCY_TAILS,
                    WriteObject.WRITE_ERRORS)) {
                object.map(measured).setAutocreate(latency);
            }
            object.map(WriteObject.PID_CHILDREN).setAutocreate(mappedState);
            object.map(WriteObject.CHILD_PIDS).setAutocreate(!mappedState);
        }), buffers, mappedState, latency, paths.newer(KernelFeature.MAP_READS));
        try {
            probe.counts().prepare();
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
