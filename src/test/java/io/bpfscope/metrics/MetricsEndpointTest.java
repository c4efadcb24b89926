package io.bpfscope.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.RingDrain;
import io.bpfscope.testing.SseClient;
import io.bpfscope.testing.Writer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /q/metrics and /metrics as Prometheus scrapes them, against what real processes did. */
@QuarkusTest
class MetricsEndpointTest {

    private static final Pattern SAMPLE = Pattern.compile("^(bpfscope_[a-z_]+(?:\\{[^}]*})?) (\\S+)$");
    private static final int WRITES = 100_000;
    private static final int BYTES = 37;

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @TestHTTPResource("/metrics")
    URI alias;

    @TestHTTPResource("/events")
    URI events;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @Test
    void writeCountsOfAProcessAreExact() throws Exception {
        try (Writer writer = Writer.prepare(WRITES, BYTES)) {
            writer.run();

            Map<String, Double> samples = scrape(metrics);

            assertThat(samples).containsEntry("bpfscope_write_syscalls_total{comm=\"" + writer.comm() + "\"}", (double) WRITES);
            assertThat(samples).containsEntry("bpfscope_write_bytes_total{comm=\"" + writer.comm() + "\"}",
                    (double) WRITES * BYTES);
        }
    }

    @Test
    void execsAreCountedByResult() throws Exception {
        Map<String, Double> before = scrape(metrics);
        Process ok = new ProcessBuilder("/bin/true").start();
        Process failed = new ProcessBuilder("/bin/sh", "-c", "exec /nonexistent/bpfscope-metrics-test").start();
        assertThat(ok.waitFor(10, TimeUnit.SECONDS) && failed.waitFor(10, TimeUnit.SECONDS)).isTrue();

        Map<String, Double> after = scrape(metrics);

        // Every exec on the node counts, so others may add to these: ours must be there at least.
        assertThat(after.get("bpfscope_exec_total{result=\"success\"}") - before.get("bpfscope_exec_total{result=\"success\"}"))
                .isGreaterThanOrEqualTo(2);
        assertThat(after.get("bpfscope_exec_total{result=\"failure\"}") - before.get("bpfscope_exec_total{result=\"failure\"}"))
                .isGreaterThanOrEqualTo(1);
        double execEventsBefore = before.get("bpfscope_events_total{type=\"exec\"}");
        RingDrain.await(() -> exceeds("bpfscope_events_total{type=\"exec\"}", execEventsBefore), Duration.ofSeconds(10));
        assertThat(scrape(metrics).get("bpfscope_events_total{type=\"exec\"}")).isGreaterThan(execEventsBefore);
    }

    @Test
    void everyStageOfLossAndThePipelineAreExported() throws Exception {
        try (SseClient client = SseClient.connect(events, Map.of())) {
            Map<String, Double> samples = scrape(alias);

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

    private boolean exceeds(String sample, double value) {
        try {
            return scrape(metrics).get(sample) > value;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Double> scrape(URI uri) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.body().split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (sample.matches()) {
                samples.put(sample.group(1), Double.parseDouble(sample.group(2)));
            }
        }
        return samples;
    }
}
