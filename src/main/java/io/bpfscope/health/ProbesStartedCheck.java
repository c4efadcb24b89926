package io.bpfscope.health;

import io.bpfscope.probe.BundledProbes;
import io.bpfscope.probe.LoadedProbes;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/** /q/health/started: the bundled programs are loaded and attached. */
@Startup
@ApplicationScoped
public class ProbesStartedCheck implements HealthCheck {

    private final BundledProbes probes;

    public ProbesStartedCheck(BundledProbes probes) {
        this.probes = probes;
    }

    @Override
    public HealthCheckResponse call() {
        Optional<LoadedProbes> loaded = probes.probes();
        return HealthCheckResponse.named("programs")
                .status(loaded.isPresent())
                .withData("loaded", loaded.map(l -> String.join(",", l.programNames())).orElse("none"))
                .build();
    }
}
