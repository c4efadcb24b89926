package io.bpfscope.probe;

import io.bpfscope.event.EventType;
import io.bpfscope.kernel.KernelFeature;
import io.bpfscope.kernel.KernelPaths;
import io.bpfscope.libbpf.BpfObject;
import io.bpfscope.libbpf.ProgramSpec;
import java.util.List;

/**
 * sys_enter_execve plus a way to learn each exec's result: one record per
 * exec, failed ones included (see exec.bpf.h); and sched_process_exit, one
 * record per process that ends. Loads one of the two objects
 * {@link ExecObject} describes.
 */
public final class ExecProbe extends Probe {

    private final ExecCounts counts;
    private final ExecDurations durations;

    private ExecProbe(BpfObject object, Buffers buffers, boolean mappedState) {
        super(object, "exec", buffers, mappedState);
        this.counts = new ExecCounts(object.map(ExecObject.COUNTS));
        this.durations = new ExecDurations(object.map(ExecObject.DURATIONS));
    }

    /** The programs loaded on a kernel with these paths. */
    public static List<ProgramSpec> programs(KernelPaths paths) {
        if (paths.newer(KernelFeature.EXEC_RESULT)) {
            return ExecObject.TASK_WORK_PROGRAMS;
        }
        return List.of(paths.newer(KernelFeature.ARGV_LOOP) ? ExecObject.ENTER : ExecObject.ENTER_BOUNDED,
                ExecObject.EXIT, ExecObject.EXITED);
    }

    public static ExecProbe load(ProbeConfig config, KernelPaths paths) {
        Buffers buffers = new Buffers(paths, config.exec().bufferBytes(), config.exec().pollInterval());
        String source = paths.newer(KernelFeature.EXEC_RESULT) ? ExecObject.TASK_WORK_SOURCE
                : ExecObject.TRACEPOINT_SOURCE;
        ExecProbe probe = new ExecProbe(load("exec", source, buffers, paths, programs(paths), object -> { }), buffers,
                paths.newer(KernelFeature.FILTER_STATE));
        try {
            probe.counts.makeOther();
        } catch (RuntimeException e) {
            probe.close();
            throw e;
        }
        return probe;
    }

    /** Every execve since load, by cgroup and outcome, from the in-kernel counters (exact, unlike the stream). */
    public ExecCounts counts() {
        return counts;
    }

    /** How long execve took on the node, by result. */
    public ExecDurations durations() {
        return durations;
    }

    @Override
    public EventType mainType() {
        return EventType.EXEC;
    }
}
