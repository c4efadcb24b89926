package io.bpfscope.libbpf;

/**
 * What the kernel counted for one program: runs and their total time while BPF
 * statistics were on, and always the runs it skipped because another BPF
 * program was running on that CPU (bpf_prog_info.recursion_misses).
 */
public record ProgramStats(long runs, long runTimeNanos, long misses) {
}
