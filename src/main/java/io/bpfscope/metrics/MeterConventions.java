package io.bpfscope.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Set;

/**
 * Brings the JVM and HTTP meters of Micrometer and Quarkus to the conventions
 * {@code promtool check metrics} holds every exporter to: base units in names,
 * no {@code _count} on a gauge, help on every family. Two are replaced rather
 * than renamed, because their value or type is what breaks the convention
 * ({@link Metrics} registers {@code process_cpu_seconds_total} and
 * {@code jvm_runtime_info} in their place). README lists every rename.
 */
public class MeterConventions {

    /** process.cpu.time counts nanoseconds; jvm.info is an info exposed as a counter. */
    private static final Set<String> REPLACED = Set.of("process.cpu.time", "jvm.info");
    /** system.cpu.count is a gauge whose name says _count. */
    private static final Map<String, String> RENAMED = Map.of("system.cpu.count", "jvm.available.processors");
    private static final Map<String, String> HELP = Map.of(
            "http.server.active.requests", "HTTP requests being served now",
            // Registered at the first error on a connection (a client that resets it, say), so absent from most scrapes.
            "http.server.errors", "Errors on the HTTP server's connections, such as a client resetting one");

    @Produces
    @Singleton
    MeterFilter conventions() {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                return REPLACED.contains(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
            }

            @Override
            public Meter.Id map(Meter.Id id) {
                String name = RENAMED.getOrDefault(id.getName(), id.getName());
                String help = id.getDescription() == null || id.getDescription().isBlank()
                        ? HELP.get(id.getName()) : id.getDescription();
                return new Meter.Id(name, Tags.of(id.getTags()), id.getBaseUnit(), help,
                        id.getType());
            }
        };
    }
}
