package io.bpfscope.kernel;

import java.util.Arrays;
import java.util.Optional;

/**
 * A capability the programs use where the kernel has it, each with the path
 * taken where it has not. The names are those of the start-up log, of
 * bpfscope_kernel_feature_info and of {@code bpfscope.fallbacks}.
 */
public enum KernelFeature {
    /** BPF ring buffer (5.8), else a perf buffer per CPU. */
    BUFFER("buffer", "ringbuf", "perf"),
    /** bpf_loop (5.17) walks argv, else a bounded loop the verifier checks step by step. */
    ARGV_LOOP("argv_loop", "bpf_loop", "bounded_loop"),
    /**
     * Threads known by BTF task pointers (5.11: bpf_get_current_task_btf,
     * task storage; tp_btf hooks), else by thread id in a hash, CO-RE reads
     * and raw tracepoint hooks.
     */
    THREADS("threads", "task_storage", "tid_hash"),
    /** An exec's result by BPF task work (6.18, ring buffer only), else at sys_exit_execve. */
    EXEC_RESULT("exec_result", "task_work", "exit_tracepoint"),
    /** Event times on the boot clock (5.8), else on the monotonic clock, which stops while suspended. */
    CLOCK("clock", "boottime", "monotonic"),
    /** bpf_probe_read_user and _kernel (5.5), else bpf_probe_read. */
    PROBE_READ("probe_read", "probe_read_user", "probe_read"),
    /**
     * What the daemon shares with the programs (the cache epoch,
     * followChildren's set, the drop counters) mapped into its memory
     * (BPF_F_MMAPABLE, 5.5), else reached by a system call per access,
     * followChildren's set then a hash of at most 65536 PIDs.
     */
    FILTER_STATE("filter_state", "mmap", "syscall"),
    /**
     * A scrape reads the kernel's counters many entries a system call
     * (BPF_MAP_LOOKUP_BATCH of per-CPU arrays, 5.13), else one each.
     */
    MAP_READS("map_reads", "batch", "per_entry");

    private final String label;
    private final String newer;
    private final String older;

    KernelFeature(String label, String newer, String older) {
        this.label = label;
        this.newer = newer;
        this.older = older;
    }

    public String label() {
        return label;
    }

    /** The path's name: the newer one's, or the older one's. */
    public String path(boolean newer) {
        return newer ? this.newer : older;
    }

    public static Optional<KernelFeature> byLabel(String label) {
        return Arrays.stream(values()).filter(feature -> feature.label.equals(label)).findFirst();
    }
}
