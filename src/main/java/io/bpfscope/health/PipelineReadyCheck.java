package io.bpfscope.health;

import io.bpfscope.probe.BundledProbes;
import io.bpfscope.probe.LoadedProbes;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * /q/health/ready: every program attached, every reader running, draining
 * and keeping up with the kernel, and (since this answer travels over it)
 * the HTTP server up. DOWN names each thing that failed.
 */
@Readiness
@ApplicationScoped
public class PipelineReadyCheck implements HealthCheck {

    private final BundledProbes probes;
    private final ReaderProblems readers;

    public PipelineReadyCheck(BundledProbes probes, ReaderProblems readers) {
        this.probes = probes;
        this.readers = readers;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("pipeline").up().withData("http", "serving");
        Optional<LoadedProbes> loaded = probes.probes();
        if (loaded.isEmpty()) {
            response.down().withData("programs", "not loaded");
        } else {
            List<String> detached = loaded.get().detachedPrograms();
            if (!detached.isEmpty()) {
                response.down().withData("programs", "not attached: " + String.join(",", detached));
            }
        }
        Map<String, String> problems = new LinkedHashMap<>(readers.find());
        problems.putAll(readers.behind());
        if (!problems.isEmpty()) {
            response.down();
            problems.forEach(response::withData);
        }
        return response.build();
    }
}
