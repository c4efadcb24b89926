package io.bpfscope.metrics;

import io.bpfscope.attribution.Workload;
import io.bpfscope.event.ExitEvent;
import io.bpfscope.histogram.Log2Histogram;
import io.bpfscope.histogram.Log2Unit;
import io.bpfscope.probe.ExecCounts;
import io.bpfscope.probe.ExecDurations;
import io.bpfscope.probe.WriteCounts;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The exec and exit families: execve results and exits by namespace, how
 * long processes lived, how long execve took.
 */
final class ExecFamilies {

    /** 7.6 µs to 8 s. */
    private static final Log2Families.ClassicRange EXEC_DURATIONS = new Log2Families.ClassicRange(-17, 3, 1);
    /** 1 ms to 18 hours. */
    private static final Log2Families.ClassicRange LIFETIMES = new Log2Families.ClassicRange(-10, 16, 1);

    private ExecFamilies() {
    }

    static void add(ExecDurations durations, KernelCounts counts, Map<Long, Optional<Workload>> workloads,
                    List<MetricSnapshot> families) {
        Map<List<String>, Long> execs = new LinkedHashMap<>();
        Map<List<String>, Long> exits = new LinkedHashMap<>();
        Map<List<String>, Log2Histogram> lifetimes = new LinkedHashMap<>();
        counts.execs().forEach((cgroupId, count) -> {
            String namespace = cgroupId == ExecCounts.OTHER_CGROUP ? WriteCounts.OTHER
                    : BpfscopeCollector.workloadLabels(workloads.getOrDefault(cgroupId, Optional.empty())).getFirst();
            execs.merge(List.of("success", namespace), count.success(), Long::sum);
            execs.merge(List.of("failure", namespace), count.failure(), Long::sum);
            exits.merge(List.of(ExitEvent.Result.SUCCESS.label(), namespace), count.exited(), Long::sum);
            exits.merge(List.of(ExitEvent.Result.FAILURE.label(), namespace), count.failed(), Long::sum);
            exits.merge(List.of(ExitEvent.Result.SIGNAL.label(), namespace), count.killed(), Long::sum);
            lifetimes.merge(List.of(namespace), count.lifetimes(), Log2Histogram::plus);
        });
        families.add(Snapshots.counter("bpfscope_exec",
                "execve(2) calls on the node by result and the caller's namespace, counted in the kernel",
                List.of("result", "namespace"), execs));
        families.add(Snapshots.counter("bpfscope_exit",
                "Processes on the node that ended, by result (success: exit code 0, failure: another code, signal:"
                        + " killed) and the process's namespace, counted in the kernel", List.of("result", "namespace"),
                exits));
        families.add(Log2Families.histogram("bpfscope_process_lifetime_seconds",
                "How long the node's processes lived, from their start (fork) to the exit of their last thread, by"
                        + " namespace, counted in the kernel: its count is bpfscope_exit_total's",
                Log2Unit.SECONDS, LIFETIMES, Snapshots.labelled(List.of("namespace"), lifetimes)));
        Map<List<String>, Log2Histogram> execDurations = new LinkedHashMap<>();
        execDurations.put(List.of("success"), durations.succeeded());
        execDurations.put(List.of("failure"), durations.failed());
        families.add(Log2Families.histogram("bpfscope_exec_duration_seconds",
                "How long execve(2) took on the node, from entry to return, by result, timed in the kernel",
                Log2Unit.SECONDS, EXEC_DURATIONS, Snapshots.labelled(List.of("result"), execDurations)));

    }
}
