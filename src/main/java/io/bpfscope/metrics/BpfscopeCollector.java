package io.bpfscope.metrics;

import io.bpfscope.attribution.Attribution;
import io.bpfscope.attribution.Pod;
import io.bpfscope.attribution.Workload;
import io.bpfscope.event.EventHub;
import io.bpfscope.event.EventType;
import io.bpfscope.event.ExitEvent;
import io.bpfscope.filter.PidFilter;
import io.bpfscope.libbpf.BpfStats;
import io.bpfscope.libbpf.ProgramStats;
import io.bpfscope.probe.DropReason;
import io.bpfscope.probe.ExecCounts;
import io.bpfscope.probe.LoadedProbes;
import io.bpfscope.probe.Probe;
import io.bpfscope.probe.WriteCount;
import io.bpfscope.probe.WriteCounts;
import io.bpfscope.reader.SourceReader;
import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The bpfscope_* metrics, computed at scrape time from the kernel's counters
 * and the pipeline's: label sets such as {comm} are as dynamic as the
 * node, so they are read whole on each scrape instead of kept as meters.
 * Counts of what the programs saw come from in-kernel counters, not from the
 * stream, so they are exact even when events are lost.
 */
final class BpfscopeCollector extends Collector {

    private static final List<String> WRITE_LABELS = List.of("comm", "namespace", "pod", "container");

    private final Supplier<Optional<LoadedProbes>> probes;
    private final Supplier<List<SourceReader>> readers;
    private final EventHub hub;
    private final LongSupplier exportLost;
    private final IntSupplier clients;
    private final PidFilter filter;
    private final Attribution attribution;

    BpfscopeCollector(Supplier<Optional<LoadedProbes>> probes, Supplier<List<SourceReader>> readers, EventHub hub,
                      LongSupplier exportLost, IntSupplier clients, PidFilter filter, Attribution attribution) {
        this.exportLost = exportLost;
        this.clients = clients;
        this.attribution = attribution;
        this.probes = probes;
        this.readers = readers;
        this.hub = hub;
        this.filter = filter;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        List<MetricFamilySamples> families = new ArrayList<>();
        probes.get().ifPresent(loaded -> kernelCounters(loaded, families));
        pipeline(families);
        return families;
    }

    private void kernelCounters(LoadedProbes loaded, List<MetricFamilySamples> families) {
        KernelCounts counts = KernelCounts.read(loaded);
        Map<Long, Optional<Workload>> workloads = attribution.ofCgroups(counts.cgroups());

        Map<List<String>, WriteCount> bySeries = new HashMap<>();
        counts.writes().forEach((writer, count) -> {
            List<String> labels = new ArrayList<>(List.of(writer.comm()));
            labels.addAll(workloadLabels(workloads.getOrDefault(writer.cgroupId(), Optional.empty())));
            bySeries.merge(labels, count, (a, b) -> new WriteCount(a.calls() + b.calls(), a.bytes() + b.bytes()));
        });
        CounterMetricFamily calls = new CounterMetricFamily("bpfscope_write_syscalls",
                "write(2) calls on the node by command name and container, counted in the kernel"
                        + " (pairs past the cap as comm _other)", WRITE_LABELS);
        CounterMetricFamily bytes = new CounterMetricFamily("bpfscope_write_bytes",
                "Bytes requested by write(2) calls on the node by command name and container, counted in the kernel",
                WRITE_LABELS);
        bySeries.forEach((labels, count) -> {
            calls.addMetric(labels, count.calls());
            bytes.addMetric(labels, count.bytes());
        });
        families.add(calls);
        families.add(bytes);
        GaugeMetricFamily slots = new GaugeMetricFamily("bpfscope_write_slots",
                "The kernel's slots for (comm, cgroup) pairs counted apart (bpfscope.write.max-series): used or free;"
                        + " with none free, new pairs count as comm _other", List.of("state"));
        long used = counts.writeSlotsUsed();
        slots.addMetric(List.of("used"), used);
        slots.addMetric(List.of("free"), loaded.write().counts().capacity() - used);
        families.add(slots);

        Map<List<String>, Long> execs = new HashMap<>();
        Map<List<String>, Long> exits = new HashMap<>();
        counts.execs().forEach((cgroupId, count) -> {
            String namespace = cgroupId == ExecCounts.OTHER_CGROUP ? WriteCounts.OTHER
                    : workloadLabels(workloads.getOrDefault(cgroupId, Optional.empty())).getFirst();
            execs.merge(List.of("success", namespace), count.success(), Long::sum);
            execs.merge(List.of("failure", namespace), count.failure(), Long::sum);
            exits.merge(List.of(ExitEvent.Result.SUCCESS.label(), namespace), count.exited(), Long::sum);
            exits.merge(List.of(ExitEvent.Result.FAILURE.label(), namespace), count.failed(), Long::sum);
            exits.merge(List.of(ExitEvent.Result.SIGNAL.label(), namespace), count.killed(), Long::sum);
        });
        CounterMetricFamily exec = new CounterMetricFamily("bpfscope_exec",
                "execve(2) calls on the node by result and the caller's namespace, counted in the kernel",
                List.of("result", "namespace"));
        execs.forEach(exec::addMetric);
        families.add(exec);
        CounterMetricFamily exit = new CounterMetricFamily("bpfscope_exit",
                "Processes on the node that ended, by result (success: exit code 0, failure: another code, signal:"
                        + " killed) and the process's namespace, counted in the kernel", List.of("result", "namespace"));
        exits.forEach(exit::addMetric);
        families.add(exit);

        GaugeMetricFamily info = new GaugeMetricFamily("bpfscope_container_info",
                "The containers of the node's counted cgroups, with their ids and images; always 1",
                List.of("namespace", "pod", "container", "container_id", "image"));
        workloads.values().stream().flatMap(Optional::stream).distinct().forEach(workload -> {
            List<String> labels = new ArrayList<>(workloadLabels(Optional.of(workload)));
            labels.addAll(List.of(workload.container().id(), workload.container().image()));
            info.addMetric(labels, 1);
        });
        families.add(info);

        Map<String, ProgramStats> programs = new LinkedHashMap<>(loaded.write().programStats());
        programs.putAll(loaded.exec().programStats());
        CounterMetricFamily misses = new CounterMetricFamily("bpfscope_bpf_program_misses",
                "Runs of each bpfscope BPF program the kernel skipped because another BPF program was running on that CPU:"
                        + " writes or execs neither counted nor streamed",
                List.of("program"));
        programs.forEach((program, stats) -> misses.addMetric(List.of(program), stats.misses()));
        families.add(misses);

        GaugeMetricFamily paths = new GaugeMetricFamily("bpfscope_kernel_feature_info",
                "The path each kernel feature takes on this kernel (the newer one where the kernel has it); always 1",
                List.of("feature", "path"));
        loaded.paths().byFeature().forEach((feature, path) -> paths.addMetric(List.of(feature, path), 1));
        families.add(paths);

        if (loaded.stats().isPresent() || BpfStats.enabled()) {
            CounterMetricFamily runs = new CounterMetricFamily("bpfscope_bpf_program_runs",
                    "Runs of each bpfscope BPF program, counted by the kernel while kernel.bpf_stats_enabled is on",
                    List.of("program"));
            CounterMetricFamily seconds = new CounterMetricFamily("bpfscope_bpf_program_run_seconds",
                    "Time spent in each bpfscope BPF program, counted by the kernel while kernel.bpf_stats_enabled is on",
                    List.of("program"));
            programs.forEach((program, stats) -> {
                runs.addMetric(List.of(program), stats.runs());
                seconds.addMetric(List.of(program), stats.runTimeNanos() / 1e9);
            });
            families.add(runs);
            families.add(seconds);
        }
    }

    private void pipeline(List<MetricFamilySamples> families) {
        List<SourceReader> running = readers.get();
        CounterMetricFamily events = new CounterMetricFamily("bpfscope_events",
                "Events read from the kernel's buffers by the readers, by type", List.of("type"));
        long[] byType = new long[EventType.values().length];
        long malformed = 0;
        for (SourceReader reader : running) {
            for (EventType type : EventType.values()) {
                byType[type.ordinal()] += reader.events(type);
            }
            malformed += reader.malformed();
        }
        for (EventType type : EventType.values()) {
            events.addMetric(List.of(type.wireName()), byType[type.ordinal()]);
        }
        families.add(events);

        CounterMetricFamily lost = new CounterMetricFamily("bpfscope_events_lost",
                "Events lost, by where: kernel (no room in a buffer, or to follow an exec), reader (undecodable), client (slow /events"
                        + " client), export (the export behind, or a destination refusing lines)",
                List.of("stage"));
        lost.addMetric(List.of("kernel"), kernelLost());
        lost.addMetric(List.of("reader"), malformed);
        lost.addMetric(List.of("client"), hub.lostBySubscribers());
        lost.addMetric(List.of("export"), exportLost.getAsLong());
        families.add(lost);

        GaugeMetricFamily fill = new GaugeMetricFamily("bpfscope_buffer_fill_ratio",
                "Share of each kernel buffer holding records not yet read", List.of("buffer"));
        for (SourceReader reader : running) {
            fill.addMetric(List.of(reader.source().name()),
                    (double) reader.source().pending() / reader.source().capacity());
        }
        families.add(fill);

        families.add(new GaugeMetricFamily("bpfscope_sse_clients", "Clients connected to /events", clients.getAsInt()));
        families.add(new GaugeMetricFamily("bpfscope_filter_pids", "PIDs whose writes are streamed",
                filter.state().pids().size()));
        families.add(new CounterMetricFamily("bpfscope_filter_pids_exited",
                "Traced processes that exited and so left the PID filter", filter.exited()));
        families.add(new CounterMetricFamily("bpfscope_filter_children_unfollowed",
                "Processes forked by a traced process that followChildren's full set could not take: not traced",
                probes.get().map(loaded -> loaded.write().drops(DropReason.CHILD_UNFOLLOWED)).orElse(0L)));
    }

    /** namespace, pod, container: empty where there is none (host processes, or not known in time). */
    private static List<String> workloadLabels(Optional<Workload> workload) {
        Optional<Pod> pod = workload.flatMap(Workload::pod);
        return List.of(pod.map(Pod::namespace).orElse(""), pod.map(Pod::name).orElse(""),
                workload.map(known -> known.container().name()).orElse(""));
    }

    private long kernelLost() {
        long lost = 0;
        Optional<LoadedProbes> loaded = probes.get();
        if (loaded.isPresent()) {
            for (Probe probe : List.<Probe>of(loaded.get().write(), loaded.get().exec())) {
                for (DropReason reason : DropReason.values()) {
                    lost += reason.event() ? probe.drops(reason) : 0;
                }
            }
        }
        return lost;
    }
}
