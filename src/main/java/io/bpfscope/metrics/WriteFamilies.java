package io.bpfscope.metrics;

import io.bpfscope.attribution.Workload;
import io.bpfscope.histogram.Log2Histogram;
import io.bpfscope.histogram.Log2Unit;
import io.bpfscope.probe.WriteCount;
import io.bpfscope.probe.WriteCounts;
import io.bpfscope.sys.ErrnoNames;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bpfscope_write_* families, by command name and container: the counts,
 * the size histogram, and with latency on the durations and errors. One for
 * the daemon, keeping its series' labels from scrape to scrape.
 */
final class WriteFamilies {

    private static final List<String> WRITE_LABELS = List.of("comm", "namespace", "pod", "container");
    private static final List<String> WRITE_ERROR_LABELS = List.of("comm", "namespace", "pod", "container", "errno");
    /*
     * Every fourth power of two: a node's write series are many (up to bpfscope.write.max-series),
     * each classic bucket is a series of its own, and the native histogram has every bucket.
     */
    /** 1 B, 4 B, ... 1 MiB, then +Inf. */
    private static final Log2Families.ClassicRange WRITE_SIZES = new Log2Families.ClassicRange(0, 20, 2);
    /** 2^-20 s (~1 µs), 2^-18 s, ... 4 s, then +Inf. */
    private static final Log2Families.ClassicRange WRITE_DURATIONS = new Log2Families.ClassicRange(-20, 2, 2);

    private final LabelSets series = new LabelSets(WRITE_LABELS);
    private final LabelSets errorSeries = new LabelSets(WRITE_ERROR_LABELS);

    void add(WriteCounts kernel, KernelCounts counts, Map<Long, Optional<Workload>> workloads,
                    List<MetricSnapshot> families) {
        Map<List<String>, WriteCount> byValues = new HashMap<>();
        counts.writes().forEach((writer, count) -> {
            List<String> values = new ArrayList<>(List.of(writer.comm()));
            values.addAll(BpfscopeCollector.workloadLabels(workloads.getOrDefault(writer.cgroupId(), Optional.empty())));
            byValues.merge(values, count, WriteCount::plus);
        });
        Map<Labels, Long> calls = new LinkedHashMap<>();
        Map<Labels, Long> bytes = new LinkedHashMap<>();
        Map<Labels, Log2Histogram> sizes = new LinkedHashMap<>();
        Map<Labels, Log2Histogram> durations = new LinkedHashMap<>();
        Map<List<String>, Long> errors = new HashMap<>();
        series.labelled(byValues).forEach((labels, count) -> {
            calls.put(labels, count.calls());
            bytes.put(labels, count.bytes());
            sizes.put(labels, count.sizes());
            durations.put(labels, count.durations());
        });
        byValues.forEach((values, count) -> count.errors().forEach((errno, failed) -> {
            List<String> withErrno = new ArrayList<>(values);
            withErrno.add(errno == 0 ? WriteCounts.OTHER : ErrnoNames.of(errno));
            errors.merge(withErrno, failed, Long::sum);
        }));
        families.add(Snapshots.counter("bpfscope_write_syscalls",
                "write(2) calls on the node by command name and container, counted in the kernel"
                        + " (pairs past the cap as comm _other)", calls));
        families.add(Snapshots.counter("bpfscope_write_bytes",
                "Bytes requested by write(2) calls on the node by command name and container, counted in the kernel",
                bytes));
        families.add(Log2Families.histogram("bpfscope_write_size_bytes",
                "Bytes asked for by each write(2) on the node, by command name and container, counted in the kernel:"
                        + " its count is bpfscope_write_syscalls_total, its sum bpfscope_write_bytes_total",
                Log2Unit.BYTES, WRITE_SIZES, sizes));
        if (kernel.latency()) {
            families.add(Log2Families.histogram("bpfscope_write_duration_seconds",
                    "How long each write(2) on the node took, entry to exit, by command name and container, timed in the"
                            + " kernel (bpfscope.write.latency.enabled)", Log2Unit.SECONDS, WRITE_DURATIONS, durations));
            families.add(Snapshots.counter("bpfscope_write_errors",
                    "write(2) calls on the node that failed, by command name, container and errno, counted in the kernel"
                            + " (bpfscope.write.latency.enabled); errno _other past the kernel's table of them",
                    errorSeries.labelled(errors)));
        }
        long used = counts.writeSlotsUsed();
        Map<List<String>, Long> slots = new LinkedHashMap<>();
        slots.put(List.of("used"), used);
        slots.put(List.of("free"), kernel.capacity() - used);
        families.add(Snapshots.gauge("bpfscope_write_slots",
                "The kernel's slots for (comm, cgroup) pairs counted apart (bpfscope.write.max-series): used or free;"
                        + " with none free, new pairs count as comm _other", List.of("state"), slots));

    }
}
