package io.bpfscope.metrics;

import com.sun.management.OperatingSystemMXBean;
import io.bpfscope.api.Routes;
import io.bpfscope.attribution.Attribution;
import io.bpfscope.attribution.RuntimeClient;
import io.bpfscope.event.EventHub;
import io.bpfscope.export.EventExport;
import io.bpfscope.filter.PidFilter;
import io.bpfscope.libbpf.LibbpfLibrary;
import io.bpfscope.probe.BundledProbes;
import io.bpfscope.reader.EventPipeline;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Registers bpfscope's metrics with the Prometheus registry served at /q/metrics (and /metrics). */
@ApplicationScoped
public class Metrics {

    private final PrometheusMeterRegistry registry;
    private final BundledProbes probes;
    private final EventPipeline pipeline;
    private final EventHub hub;
    private final PidFilter filter;
    private final Attribution attribution;
    private final SeriesRetirement retirement;
    private final EventExport export;
    private final Routes routes;
    private final String version;

    public Metrics(PrometheusMeterRegistry registry, BundledProbes probes, EventPipeline pipeline, EventHub hub,
                   PidFilter filter, Attribution attribution, SeriesRetirement retirement, EventExport export,
                   Routes routes, @ConfigProperty(name = "quarkus.application.version") String version) {
        this.retirement = retirement;
        this.export = export;
        this.routes = routes;
        this.filter = filter;
        this.attribution = attribution;
        this.registry = registry;
        this.probes = probes;
        this.pipeline = pipeline;
        this.hub = hub;
        this.version = version;
    }

    void register(@Observes StartupEvent event) {
        PrometheusRegistry prometheus = registry.getPrometheusRegistry();
        prometheus.register(new BpfscopeCollector(probes::probes, pipeline::readers, hub, export::lost, routes::clients,
                filter, attribution));
        InfoSnapshot build = Snapshots.info("bpfscope_build", "bpfscope's version and the libbpf and kernel it runs with",
                List.of("version", "libbpf", "kernel"),
                List.of(List.of(version, LibbpfLibrary.require(), System.getProperty("os.version"))));
        prometheus.register(() -> build);
        InfoSnapshot java = Snapshots.info("jvm_runtime", "The Java runtime the daemon runs on",
                List.of("runtime", "vendor", "version"), List.of(List.of(System.getProperty("java.runtime.name"),
                        System.getProperty("java.vm.vendor"), System.getProperty("java.runtime.version"))));
        prometheus.register(() -> java);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, bean -> bean.getProcessCpuTime() / 1e9)
                    .baseUnit("seconds")
                    .description("CPU time the daemon used, in user and system mode")
                    .register(registry);
        }
        FunctionCounter.builder("bpfscope_attribution_unresolved", attribution, Attribution::unresolved)
                .description("Events sent without their container and pod: not known within the metadata wait")
                .register(registry);
        FunctionCounter.builder("bpfscope_attribution_lookups", attribution,
                        a -> a.lookups() - a.failedLookups())
                .description("Containers the runtime was asked about, by whether it named them")
                .tag("result", "found")
                .register(registry);
        FunctionCounter.builder("bpfscope_attribution_lookups", attribution, Attribution::failedLookups)
                .description("Containers the runtime was asked about, by whether it named them")
                .tag("result", "unknown")
                .register(registry);
        for (RuntimeClient runtime : attribution.runtimes()) {
            FunctionCounter.builder("bpfscope_attribution_runtime_events", runtime, attribution::eventsFrom)
                    .description("Container events (start, stop, removal) a runtime sent; each makes its container asked"
                            + " about afresh")
                    .tag("api", runtime.api())
                    .tag("socket", runtime.socket().toString())
                    .register(registry);
        }
        FunctionCounter.builder("bpfscope_export_events", export, EventExport::exported)
                .description("Events written to every destination of the export (bpfscope.export.*)")
                .register(registry);
        FunctionCounter.builder("bpfscope_series_retired", retirement, SeriesRetirement::retired)
                .description("cgroups gone for bpfscope.attribution.series-grace whose counts and series were removed")
                .register(registry);
    }
}
