package io.bpfscope.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.NativeHistograms;
import io.bpfscope.testing.Promtool;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics.MetricFamily;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /q/metrics in each format a scraper can ask for, checked by the tools that parse them. */
@QuarkusTest
class ExpositionFormatsTest {

    /** What Prometheus 2.x sends by default. */
    private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    /** What it sends with native histograms on: protobuf first. */
    static final String NATIVE_HISTOGRAMS_ACCEPT = "application/vnd.google.protobuf;"
            + "proto=io.prometheus.client.MetricFamily;encoding=delimited," + PROMETHEUS_ACCEPT;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @TestHTTPResource("/metrics")
    URI alias;

    @TempDir
    Path dir;

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @Test
    void theTextFormatPassesPromtoolWithNoFinding() throws Exception {
        HttpResponse<byte[]> text = get(metrics, null);

        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        Path exposition = Files.write(dir.resolve("metrics.txt"), text.body());
        assertThat(Promtool.checkMetrics(exposition)).as("promtool check metrics").isEmpty();
    }

    @Test
    void nameParametersKeepOnlyTheFamiliesNamed() throws Exception {
        URI only = URI.create(metrics + "?name%5B%5D=bpfscope_exec_total&name%5B%5D=bpfscope_write_size_bytes");
        String body = new String(get(only, null).body());

        List<String> families = body.lines().filter(line -> line.startsWith("# TYPE ")).toList();
        assertThat(families).containsExactlyInAnyOrder("# TYPE bpfscope_exec_total counter",
                "# TYPE bpfscope_write_size_bytes histogram");
        assertThat(body).contains("bpfscope_write_size_bytes_bucket{");
    }

    @Test
    void anOpenMetricsOnlyScrapeGetsOpenMetrics() throws Exception {
        for (String accept : List.of("application/openmetrics-text; version=1.0.0", PROMETHEUS_ACCEPT)) {
            HttpResponse<byte[]> answer = get(alias, accept);

            assertThat(answer.statusCode()).as(accept).isEqualTo(200);
            assertThat(answer.headers().firstValue("content-type"))
                    .hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
            String body = new String(answer.body());
            assertThat(body).endsWith("# EOF\n").contains("# TYPE bpfscope_write_syscalls counter\n");
        }
    }

    @Test
    void aScrapeAskingForProtobufGetsMetricFamilies() throws Exception {
        HttpResponse<byte[]> answer = get(metrics, NATIVE_HISTOGRAMS_ACCEPT);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("content-type")).hasValue(
                "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited");
        List<String> names = new ArrayList<>();
        for (MetricFamily family : NativeHistograms.families(answer.body())) {
            names.add(family.getName());
        }
        assertThat(names).contains("bpfscope_write_syscalls_total", "bpfscope_events_lost_total", "bpfscope_build_info");
    }

    @Test
    void aScrapeAskingForAnythingElseGetsTheTextFormat() throws Exception {
        for (String accept : List.of("application/json", "*/*", "text/html;q=0.9")) {
            HttpResponse<byte[]> answer = get(metrics, accept);

            assertThat(answer.statusCode()).as(accept).isEqualTo(200);
            assertThat(answer.headers().firstValue("content-type")).as(accept)
                    .hasValue("text/plain; version=0.0.4; charset=utf-8");
        }
    }

    static HttpResponse<byte[]> get(URI uri, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (accept != null) {
            request.header("Accept", accept);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
