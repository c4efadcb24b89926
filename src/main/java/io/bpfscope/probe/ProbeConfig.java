package io.bpfscope.probe;

import io.bpfscope.config.PositiveDuration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code bpfscope.*}: what the bundled programs are loaded with. */
@ConfigMapping(prefix = "bpfscope")
public interface ProbeConfig {

    /**
     * A BTF file for the running kernel, to relocate the programs against
     * (CO-RE) where the kernel has no BTF of its own (/sys/kernel/btf/vmlinux).
     */
    Optional<Path> btfPath();

    /**
     * Features (see {@link io.bpfscope.kernel.KernelFeature}) to run on their
     * older kernels' path even where this kernel offers the newer, or "all".
     * A string list, not the enum, so a bad name is reported by
     * {@link Preflight} as one line.
     */
    Optional<List<String>> fallbacks();

    /** auto, ringbuf or perf: see {@link BufferMode}. */
    @WithDefault("auto")
    BufferMode buffer();

    /**
     * Write records are not announced one by one; their buffer is drained
     * this often while it holds any, and at once after a quiet spell this long.
     */
    @WithDefault("5ms")
    @WithConverter(PositiveDuration.class)
    Duration pollInterval();

    /**
     * Turn on the kernel's BPF run-time statistics while the daemon runs, for
     * bpfscope_bpf_program_* (costs a few ns per program run).
     */
    @WithDefault("false")
    boolean bpfStats();

    Write write();

    Exec exec();

    interface Write {
        /**
         * Distinct (comm, cgroup) pairs counted apart; writes of further pairs are counted as
         * "_other" until the pairs of cgroups that are gone are retired.
         */
        @WithDefault("2048")
        int maxSeries();

        /** Buffer for write records, in bytes (a power of two, at least a page); in perf mode, shared out among CPUs. */
        @WithDefault("2097152")
        int bufferBytes();

        Latency latency();

        interface Latency {
            /**
             * Times every write(2) from entry to exit and counts the failed ones by errno:
             * a second program, at sys_exit_write, and a task-storage write at entry.
             */
            @WithDefault("false")
            boolean enabled();
        }
    }

    interface Exec {
        /** Buffer for exec records, in bytes (a power of two, at least a page); in perf mode, shared out among CPUs. */
        @WithDefault("1048576")
        int bufferBytes();

        /**
         * The same as {@link ProbeConfig#pollInterval()} for exec records. Longer than the
         * writes': execs come tens to thousands a second, and each drain of the buffer costs
         * the daemon a chain of wakeups (reader, clients, HTTP); batched, an exec costs it a
         * share of one. An exec reaches /events up to this much later: 50 ms keeps the p99 of
         * that delay near 50 ms, half the 100 ms users accept, at half the CPU of 25 ms.
         */
        @WithDefault("50ms")
        @WithConverter(PositiveDuration.class)
        Duration pollInterval();

        /**
         * full, redacted or off: see {@link io.bpfscope.event.ArgvMode}. Redacted by default: the
         * stream goes to dashboards and logs that should not collect the passwords and tokens
         * people pass on command lines. A string rather than the enum, so that a bad value is
         * reported by {@link Preflight} as one line, like every other bad setting.
         */
        @WithDefault("redacted")
        String argv();
    }
}
