package io.bpfscope.event;

import io.bpfscope.attribution.Workload;
import java.util.Optional;

/** What the programs report, decoded: a write by a traced process, an exec, or the end of a process. */
public sealed interface Event extends Message permits WriteEvent, ExecEvent, ExitEvent {

    /** bpf_ktime_get_boot_ns() when the kernel saw it. */
    long bootNs();

    /** The process's cgroup in the cgroup2 hierarchy (the inode of its directory). */
    long cgroupId();

    int pid();

    int tid();

    String comm();

    /** The process's container and pod, once attributed; empty for host processes. */
    Optional<Workload> workload();
}
