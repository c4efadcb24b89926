package io.bpfscope.probe;

import static io.bpfscope.libbpf.BpfMap.TYPE_ARRAY;
import static io.bpfscope.libbpf.BpfMap.TYPE_HASH;
import static io.bpfscope.libbpf.BpfMap.TYPE_LRU_HASH;
import static io.bpfscope.libbpf.BpfMap.TYPE_PERCPU_ARRAY;

import io.bpfscope.libbpf.MapSpec;
import io.bpfscope.libbpf.ProgramSpec;
import java.util.List;

/**
 * exec.bpf.o and exec_tp.bpf.o, both built on exec.bpf.h, as Java sees
 * them: exec.bpf.o takes each exec's result by task work, exec_tp.bpf.o at
 * sys_exit_execve (which slows every system call's exit a little).
 * BundledObjectsTest holds every name, section, type and size to the objects.
 */
public final class ExecObject {

    public static final String TASK_WORK_SOURCE = "exec";
    public static final String TRACEPOINT_SOURCE = "exec_tp";

    /** sys_enter_execve, walking argv with bpf_loop (both objects). */
    public static final ProgramSpec ENTER = new ProgramSpec("bpfscope_exec", "tp/syscalls/sys_enter_execve");
    /** The same with a bounded loop (exec_tp.bpf.o). */
    public static final ProgramSpec ENTER_BOUNDED = new ProgramSpec("bpfscope_exec_bounded",
            "tp/syscalls/sys_enter_execve");
    /** sys_exit_execve (exec_tp.bpf.o). */
    public static final ProgramSpec EXIT = new ProgramSpec("bpfscope_exec_x", "tp/syscalls/sys_exit_execve");
    /** The end of every process (both objects). */
    public static final ProgramSpec EXITED = new ProgramSpec("bpfscope_exited", "raw_tp/sched_process_exit");

    /** Every exec since load by cgroup id, with "other" past the cap. */
    public static final MapSpec COUNTS = new MapSpec("exec_counts", TYPE_HASH, 8, CounterLayouts.EXEC_COUNT.byteSize());
    /** The zeroes a cgroup's counts start from. */
    public static final MapSpec COUNT_ZERO = MapSpec.untouched("exec_count_zero", TYPE_ARRAY);
    /** How long execs took, by result. */
    public static final MapSpec DURATIONS = new MapSpec("exec_durations", TYPE_ARRAY, 4,
            CounterLayouts.DURATION_HISTOGRAM.byteSize());
    /** Execs on their way to their result: by task work (exec.bpf.o), or at sys_exit_execve (exec_tp.bpf.o). */
    public static final MapSpec CALLS = MapSpec.untouched("exec_calls", TYPE_HASH);
    public static final MapSpec PENDING = MapSpec.untouched("exec_pending", TYPE_LRU_HASH);
    /** Processes whose exit was reported, so that each is once. */
    public static final MapSpec EXIT_CLAIMS = MapSpec.untouched("exit_claims", TYPE_LRU_HASH);
    public static final MapSpec EXIT_SCRATCH = MapSpec.untouched("exit_scratch", TYPE_PERCPU_ARRAY);
    public static final MapSpec EVENTS = ObjectMaps.events("exec");
    public static final MapSpec PERF = ObjectMaps.perf("exec");

    public static final List<ProgramSpec> TASK_WORK_PROGRAMS = List.of(ENTER, EXITED);
    public static final List<ProgramSpec> TRACEPOINT_PROGRAMS = List.of(ENTER, ENTER_BOUNDED, EXIT, EXITED);
    /** Every map of each object, libbpf's map of its settings included. */
    public static final List<MapSpec> TASK_WORK_MAPS = maps(CALLS);
    public static final List<MapSpec> TRACEPOINT_MAPS = maps(PENDING);

    private ExecObject() {
    }

    private static List<MapSpec> maps(MapSpec inFlight) {
        return List.of(ObjectMaps.CONFIG, ObjectMaps.RODATA, ObjectMaps.BSS, ObjectMaps.DROPS, inFlight, COUNTS,
                COUNT_ZERO, DURATIONS, EXIT_CLAIMS, EXIT_SCRATCH, EVENTS, PERF);
    }
}
