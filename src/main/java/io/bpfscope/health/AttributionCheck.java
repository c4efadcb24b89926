package io.bpfscope.health;

import io.bpfscope.attribution.Attribution;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * /q/health/well: DOWN while events cannot name their container (no cgroup2
 * hierarchy, no runtime socket, or a runtime that does not answer). Not a
 * readiness or liveness check: counting and streaming go on without it, so
 * neither a restart nor taking the pod out of service would help.
 */
@Wellness
@ApplicationScoped
public class AttributionCheck implements HealthCheck {

    private final Attribution attribution;

    public AttributionCheck(Attribution attribution) {
        this.attribution = attribution;
    }

    @Override
    public HealthCheckResponse call() {
        Optional<String> degraded = attribution.degraded();
        return HealthCheckResponse.named("attribution").status(degraded.isEmpty())
                .withData("node", attribution.node())
                .withData("attribution", degraded.map(reason -> "degraded: " + reason).orElse("complete"))
                .build();
    }
}
