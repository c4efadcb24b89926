package io.bpfscope.kernel;

import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.libbpf.MapSpec;
import io.bpfscope.libbpf.ProgramSpec;
import java.util.List;

/**
 * task_work_probe.bpf.o, loaded and never attached to ask the verifier
 * whether it takes task work from a tracepoint. BundledObjectsTest holds
 * these names to the object.
 */
public final class TaskWorkProbeObject {

    public static final String SOURCE = "task_work_probe";
    public static final ProgramSpec PROGRAM = new ProgramSpec("bpfscope_task_work_probe",
            "tp/syscalls/sys_enter_execve");
    /** Where the struct bpf_task_work the kfunc takes lives. */
    public static final MapSpec WORKS = MapSpec.untouched("works", BpfMap.TYPE_HASH);
    public static final List<MapSpec> MAPS = List.of(WORKS);

    private TaskWorkProbeObject() {
    }
}
