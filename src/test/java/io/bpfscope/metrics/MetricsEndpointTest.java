package io.bpfscope.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfscope.testing.ExpectedPaths;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.Scrape;
import io.bpfscope.testing.RingDrain;
import io.bpfscope.testing.SseClient;
import io.bpfscope.testing.Writer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /q/metrics and /metrics as Prometheus scrapes them, against what real processes did. */
@QuarkusTest
class MetricsEndpointTest {

    private static final int WRITES = 100_000;
    private static final int BYTES = 37;

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @TestHTTPResource("/metrics")
    URI alias;

    @TestHTTPResource("/events")
    URI events;


    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @Test
    void writeCountsOfAProcessAreExact() throws Exception {
        try (Writer writer = Writer.prepare(WRITES, BYTES)) {
            writer.run();

            Map<String, Double> samples = Scrape.of(metrics);

            assertThat(samples).containsEntry("bpfscope_write_syscalls_total" + Scrape.onHost(writer.comm()), (double) WRITES);
            assertThat(samples).containsEntry("bpfscope_write_bytes_total" + Scrape.onHost(writer.comm()),
                    (double) WRITES * BYTES);
        }
    }

    @Test
    void execsAreCountedByResult() throws Exception {
        Map<String, Double> before = Scrape.of(metrics);
        Process ok = new ProcessBuilder("/bin/true").start();
        Process failed = new ProcessBuilder("/bin/sh", "-c", "exec /nonexistent/bpfscope-metrics-test").start();
        assertThat(ok.waitFor(10, TimeUnit.SECONDS) && failed.waitFor(10, TimeUnit.SECONDS)).isTrue();

        Map<String, Double> after = Scrape.of(metrics);

        // Every exec on the node counts, so others may add to these: ours must be there at least.
        assertThat(after.get("bpfscope_exec_total{result=\"success\",namespace=\"\"}")
                - before.getOrDefault("bpfscope_exec_total{result=\"success\",namespace=\"\"}", 0.0))
                .isGreaterThanOrEqualTo(2);
        assertThat(after.get("bpfscope_exec_total{result=\"failure\",namespace=\"\"}")
                - before.getOrDefault("bpfscope_exec_total{result=\"failure\",namespace=\"\"}", 0.0))
                .isGreaterThanOrEqualTo(1);
        double execEventsBefore = before.get("bpfscope_events_total{type=\"exec\"}");
        RingDrain.await(() -> exceeds("bpfscope_events_total{type=\"exec\"}", execEventsBefore), Duration.ofSeconds(10));
        assertThat(Scrape.of(metrics).get("bpfscope_events_total{type=\"exec\"}")).isGreaterThan(execEventsBefore);
    }

    @Test
    void everyStageOfLossAndThePipelineAreExported() throws Exception {
        try (SseClient client = SseClient.connect(events, Map.of())) {
            Map<String, Double> samples = Scrape.of(alias);

            assertThat(samples).containsKeys(
                    "bpfscope_events_lost_total{stage=\"kernel\"}",
                    "bpfscope_events_lost_total{stage=\"reader\"}",
                    "bpfscope_events_lost_total{stage=\"client\"}",
                    "bpfscope_events_total{type=\"write\"}",
                    "bpfscope_events_total{type=\"exec\"}");
            assertThat(samples.get("bpfscope_sse_clients")).isGreaterThanOrEqualTo(1);
            assertThat(samples.keySet()).anyMatch(key -> key.startsWith("bpfscope_buffer_fill_ratio{buffer="));
            assertThat(samples.keySet()).anyMatch(key -> key.startsWith("bpfscope_build_info{") && key.contains("libbpf=\"libbpf 1."));
        }
    }

    @Test
    void skippedRunsOfEveryProgramAreWhatTheKernelCounted() {
        Set<Long> ours = Kernel.programIdsHeldBy(ProcessHandle.current().pid());
        Map<String, Long> kernel = new HashMap<>();
        for (JsonNode program : Kernel.bpftool("prog", "show")) {
            if (ours.contains(program.path("id").asLong()) && program.path("name").asText().startsWith("bpfscope_")) {
                // bpftool leaves the field out while it is 0.
                kernel.merge(program.path("name").asText(), program.path("recursion_misses").asLong(0), Long::sum);
            }
        }

        Map<String, Double> samples = Scrape.of(metrics);

        assertThat(kernel.keySet()).containsExactlyInAnyOrderElementsOf(ExpectedPaths.here().programs());
        kernel.forEach((program, misses) -> assertThat(samples)
                .containsEntry("bpfscope_bpf_program_misses_total{program=\"" + program + "\"}", (double) misses));
    }

    private boolean exceeds(String sample, double value) {
        return Scrape.of(metrics).get(sample) > value;
    }
}
