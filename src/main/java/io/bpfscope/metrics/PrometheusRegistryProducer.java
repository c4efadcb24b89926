package io.bpfscope.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The one Micrometer registry, on the Prometheus Java client 1.x. Quarkus adds
 * a produced registry to its global one, so its JVM and HTTP meters land here
 * too; {@link ScrapeRoute} serves it.
 */
public class PrometheusRegistryProducer {

    @Produces
    @Singleton
    PrometheusMeterRegistry prometheus() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }
}
