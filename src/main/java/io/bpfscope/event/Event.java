package io.bpfscope.event;

/** What the programs report, decoded: a write by a traced process, or an exec. */
public sealed interface Event permits WriteEvent, ExecEvent {

    EventType type();

    /** bpf_ktime_get_boot_ns() when the kernel saw it. */
    long bootNs();

    int pid();

    int tid();

    String comm();
}
