package io.bpfscope.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * /q/health/live: DOWN when a reader ended or is stuck, which only a
 * restart mends; a busy node keeps its readers draining and stays UP.
 */
@Liveness
@ApplicationScoped
public class ReadersLiveCheck implements HealthCheck {

    private final ReaderProblems readers;

    public ReadersLiveCheck(ReaderProblems readers) {
        this.readers = readers;
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, String> problems = readers.find();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("readers").status(problems.isEmpty());
        problems.forEach(response::withData);
        return response.build();
    }
}
