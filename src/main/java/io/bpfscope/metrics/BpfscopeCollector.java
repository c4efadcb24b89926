package io.bpfscope.metrics;

import io.bpfscope.attribution.Attribution;
import io.bpfscope.attribution.Pod;
import io.bpfscope.attribution.Workload;
import io.bpfscope.event.EventHub;
import io.bpfscope.event.EventType;
import io.bpfscope.filter.PidFilter;
import io.bpfscope.libbpf.BpfStats;
import io.bpfscope.libbpf.ProgramStats;
import io.bpfscope.probe.DropReason;
import io.bpfscope.probe.LoadedProbes;
import io.bpfscope.probe.Probe;
import io.bpfscope.reader.SourceReader;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
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
final class BpfscopeCollector implements MultiCollector {

    private static final List<String> PROGRAM = List.of("program");

    private final Supplier<Optional<LoadedProbes>> probes;
    private final Supplier<List<SourceReader>> readers;
    private final EventHub hub;
    private final LongSupplier exportLost;
    private final IntSupplier clients;
    private final PidFilter filter;
    private final Attribution attribution;
    private final WriteFamilies writeFamilies = new WriteFamilies();

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
    public MetricSnapshots collect() {
        List<MetricSnapshot> families = new ArrayList<>();
        probes.get().ifPresent(loaded -> kernelCounters(loaded, families));
        pipeline(families);
        return new MetricSnapshots(families);
    }

    private void kernelCounters(LoadedProbes loaded, List<MetricSnapshot> families) {
        KernelCounts counts = KernelCounts.read(loaded);
        Map<Long, Optional<Workload>> workloads = attribution.ofCgroups(counts.cgroups());

        writeFamilies.add(loaded.write().counts(), counts, workloads, families);
        ExecFamilies.add(loaded.exec().durations(), counts, workloads, families);

        List<List<String>> containers = workloads.values().stream().flatMap(Optional::stream).distinct().map(workload -> {
            List<String> labels = new ArrayList<>(workloadLabels(Optional.of(workload)));
            labels.addAll(List.of(workload.container().id(), workload.container().image()));
            return labels;
        }).toList();
        families.add(Snapshots.info("bpfscope_container",
                "The containers of the node's counted cgroups, with their ids and images",
                List.of("namespace", "pod", "container", "container_id", "image"), containers));

        Map<String, ProgramStats> programs = new LinkedHashMap<>(loaded.write().programStats());
        programs.putAll(loaded.exec().programStats());
        families.add(Snapshots.counter("bpfscope_bpf_program_misses",
                "Runs of each bpfscope BPF program the kernel skipped because another BPF program was running on that CPU:"
                        + " writes or execs neither counted nor streamed", PROGRAM,
                byProgram(programs, ProgramStats::misses)));

        families.add(Snapshots.info("bpfscope_kernel_feature",
                "The path each kernel feature takes on this kernel (the newer one where the kernel has it)",
                List.of("feature", "path"), loaded.paths().byFeature().entrySet().stream()
                        .map(path -> List.of(path.getKey(), path.getValue())).toList()));

        if (loaded.stats().isPresent() || BpfStats.enabled()) {
            families.add(Snapshots.counter("bpfscope_bpf_program_runs",
                    "Runs of each bpfscope BPF program, counted by the kernel while kernel.bpf_stats_enabled is on",
                    PROGRAM, byProgram(programs, ProgramStats::runs)));
            families.add(Snapshots.counter("bpfscope_bpf_program_run_seconds",
                    "Time spent in each bpfscope BPF program, counted by the kernel while kernel.bpf_stats_enabled is on",
                    PROGRAM, byProgram(programs, stats -> stats.runTimeNanos() / 1e9)));
        }
    }

    private static Map<List<String>, Number> byProgram(Map<String, ProgramStats> programs,
                                                       Function<ProgramStats, Number> value) {
        Map<List<String>, Number> values = new LinkedHashMap<>();
        programs.forEach((program, stats) -> values.put(List.of(program), value.apply(stats)));
        return values;
    }

    private void pipeline(List<MetricSnapshot> families) {
        List<SourceReader> running = readers.get();
        long[] byType = new long[EventType.values().length];
        long malformed = 0;
        for (SourceReader reader : running) {
            for (EventType type : EventType.values()) {
                byType[type.ordinal()] += reader.events(type);
            }
            malformed += reader.malformed();
        }
        Map<List<String>, Long> events = new LinkedHashMap<>();
        for (EventType type : EventType.values()) {
            events.put(List.of(type.wireName()), byType[type.ordinal()]);
        }
        families.add(Snapshots.counter("bpfscope_events",
                "Events read from the kernel's buffers by the readers, by type", List.of("type"), events));

        Map<List<String>, Long> lost = new LinkedHashMap<>();
        lost.put(List.of("kernel"), kernelLost());
        lost.put(List.of("reader"), malformed);
        lost.put(List.of("client"), hub.lostBySubscribers());
        lost.put(List.of("export"), exportLost.getAsLong());
        families.add(Snapshots.counter("bpfscope_events_lost",
                "Events lost, by where: kernel (no room in a buffer, or to follow an exec), reader (undecodable), client (slow /events"
                        + " client), export (the export behind, or a destination refusing lines)",
                List.of("stage"), lost));

        Map<List<String>, Double> fill = new LinkedHashMap<>();
        for (SourceReader reader : running) {
            fill.put(List.of(reader.source().name()), (double) reader.source().pending() / reader.source().capacity());
        }
        families.add(Snapshots.gauge("bpfscope_buffer_fill_ratio",
                "Share of each kernel buffer holding records not yet read", List.of("buffer"), fill));

        families.add(Snapshots.gauge("bpfscope_sse_clients", "Clients connected to /events", clients.getAsInt()));
        families.add(Snapshots.gauge("bpfscope_filter_pids", "PIDs whose writes are streamed",
                filter.state().pids().size()));
        families.add(Snapshots.counter("bpfscope_filter_pids_exited",
                "Traced processes that exited and so left the PID filter", filter.exited()));
        families.add(Snapshots.counter("bpfscope_filter_children_unfollowed",
                "Processes forked by a traced process that followChildren's full set could not take: not traced",
                probes.get().map(loaded -> loaded.write().drops(DropReason.CHILD_UNFOLLOWED)).orElse(0L)));
    }

    /** namespace, pod, container: empty where there is none (host processes, or not known in time). */
    static List<String> workloadLabels(Optional<Workload> workload) {
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
