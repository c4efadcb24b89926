package io.bpfscope.probe;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import io.bpfscope.kernel.KernelFeature;
import io.bpfscope.kernel.KernelPaths;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

/**
 * struct probe_config of src/main/bpf/bpfscope.h, field by field: what the
 * loader writes into every object's ".rodata.config" before load.
 */
public final class ProbeSettings {

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("wakeup_interval_ns"),
            ValueLayout.JAVA_LONG.withName("wakeup_bytes"),
            ValueLayout.JAVA_INT.withName("use_perf"),
            ValueLayout.JAVA_INT.withName("count_slots"),
            ValueLayout.JAVA_INT.withName("kernel"),
            ValueLayout.JAVA_INT.withName("write_latency"))
            .withName("probe_config");

    /** enum bpfscope_kernel_has. */
    private static final int KERNEL_BOOT_CLOCK = 1;
    private static final int KERNEL_PROBE_READ_USER = 2;
    private static final int KERNEL_TASK_BTF = 4;
    private static final int KERNEL_MMAPABLE = 8;

    private static final long WAKEUP_INTERVAL_NS = offset("wakeup_interval_ns");
    private static final long WAKEUP_BYTES = offset("wakeup_bytes");
    private static final long USE_PERF = offset("use_perf");
    private static final long COUNT_SLOTS = offset("count_slots");
    private static final long KERNEL = offset("kernel");
    private static final long WRITE_LATENCY = offset("write_latency");

    private ProbeSettings() {
    }

    /** The settings every object takes: how records leave, and what the kernel has. */
    static void write(MemorySegment config, Duration pollInterval, int bufferBytes, KernelPaths paths) {
        config.set(ValueLayout.JAVA_LONG, WAKEUP_INTERVAL_NS, pollInterval.toNanos());
        config.set(ValueLayout.JAVA_LONG, WAKEUP_BYTES, bufferBytes / 4);
        config.set(ValueLayout.JAVA_INT, USE_PERF, paths.newer(KernelFeature.BUFFER) ? 0 : 1);
        config.set(ValueLayout.JAVA_INT, KERNEL, kernelFlags(paths));
    }

    /** The write object's cap on (comm, cgroup) pairs counted apart. */
    static void writeCountSlots(MemorySegment config, int slots) {
        config.set(ValueLayout.JAVA_INT, COUNT_SLOTS, slots);
    }

    /** Whether the write object times writes. */
    static void writeLatency(MemorySegment config, boolean enabled) {
        config.set(ValueLayout.JAVA_INT, WRITE_LATENCY, enabled ? 1 : 0);
    }

    static int kernelFlags(KernelPaths paths) {
        return (paths.newer(KernelFeature.CLOCK) ? KERNEL_BOOT_CLOCK : 0)
                | (paths.newer(KernelFeature.PROBE_READ) ? KERNEL_PROBE_READ_USER : 0)
                | (paths.newer(KernelFeature.THREADS) ? KERNEL_TASK_BTF : 0)
                | (paths.newer(KernelFeature.FILTER_STATE) ? KERNEL_MMAPABLE : 0);
    }

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }
}
