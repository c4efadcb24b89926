package io.bpfscope.probe;

import io.bpfscope.kernel.KernelFeature;
import io.bpfscope.kernel.KernelPaths;
import io.bpfscope.libbpf.BpfObject;
import java.util.List;
import java.util.Set;

/**
 * sys_enter_execve plus a way to learn each exec's result: one record per
 * exec, failed ones included (see exec.bpf.h); and sched_process_exit, one
 * record per process that ends. Names the programs and maps
 * of exec.bpf.o and exec_tp.bpf.o; BundledObjectsTest holds them to the objects.
 */
public final class ExecProbe extends Probe {

    /** sys_enter_execve, walking argv with bpf_loop; the other with a bounded loop (exec_tp.bpf.o only). */
    public static final String ENTER = "bpfscope_exec";
    public static final String ENTER_BOUNDED = "bpfscope_exec_bounded";
    /** sys_exit_execve (exec_tp.bpf.o). */
    public static final String EXIT = "bpfscope_exec_x";
    /** sched_process_exit: the end of every process (both objects). */
    public static final String EXITED = "bpfscope_exited";

    /** The maps of exec.bpf.o and of exec_tp.bpf.o, but for libbpf's own. */
    public static final List<String> TASK_WORK_MAPS = List.of("exec_calls", "exec_events", "exec_perf", "exec_counts",
            "exit_claims", "exit_scratch", "drops");
    public static final List<String> TRACEPOINT_MAPS = List.of("exec_pending", "exec_events", "exec_perf",
            "exec_counts", "exit_claims", "exit_scratch", "drops");

    /** exec.bpf.o takes each result by task work; exec_tp.bpf.o at sys_exit_execve, which slows every syscall's exit a little. */
    private static final String TASK_WORK_SOURCE = "exec";
    private static final String TRACEPOINT_SOURCE = "exec_tp";

    private final ExecCounts counts;

    private ExecProbe(BpfObject object, Buffers buffers) {
        super(object, "exec", buffers);
        this.counts = new ExecCounts(object.map("exec_counts"));
    }

    /** The programs loaded on a kernel with these paths. */
    public static List<String> programs(KernelPaths paths) {
        if (paths.newer(KernelFeature.EXEC_RESULT)) {
            return List.of(ENTER, EXITED);
        }
        return List.of(paths.newer(KernelFeature.ARGV_LOOP) ? ENTER : ENTER_BOUNDED, EXIT, EXITED);
    }

    public static ExecProbe load(ProbeConfig config, KernelPaths paths) {
        Buffers buffers = new Buffers(paths, config.exec().bufferBytes(), config.exec().pollInterval());
        String source = paths.newer(KernelFeature.EXEC_RESULT) ? TASK_WORK_SOURCE : TRACEPOINT_SOURCE;
        ExecProbe probe = new ExecProbe(load("exec", source, buffers, paths, Set.copyOf(programs(paths)), object -> { }),
                buffers);
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
}
