package io.bpfscope.libbpf;

/** What the kernel counted for one program while BPF statistics were on: runs, and their total time. */
public record ProgramStats(long runs, long runTimeNanos) {
}
