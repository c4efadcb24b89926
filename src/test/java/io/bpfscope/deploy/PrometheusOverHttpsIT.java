package io.bpfscope.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfscope.testing.Certificates;
import io.bpfscope.testing.Certificates.Issued;
import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.PrometheusServer;
import io.bpfscope.testing.RingDrain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scraping the daemon over HTTPS: the example scrape
 * configuration with the two settings its comments give for HTTPS
 * (scheme, and tls_config naming the CA that signed the daemon's certificate).
 */
class PrometheusOverHttpsIT {

    private static final String NODE = "https-node";

    @TempDir
    Path dir;

    @Test
    void prometheusScrapesTheMetricsOverHttpsTrustingTheCa() throws Exception {
        Kernel.requireRoot();
        Certificates certificates = Certificates.in(dir);
        Issued ca = certificates.authority("scrape-ca");
        Issued server = certificates.server(ca, "scraped");
        try (Daemon daemon = Daemon.start(List.of(), dir.resolve("state"), "-Dbpfscope.tls.cert-file=" + server.cert(),
                "-Dbpfscope.tls.key-file=" + server.key())) {
            daemon.awaitListening(Duration.ofSeconds(30));
            Path config = ExampleScrapeConfig.writeFor(dir, daemon.port(), NODE);
            ObjectNode root = (ObjectNode) Chart.YAML.readTree(config.toFile());
            ObjectNode job = ExampleScrapeConfig.job(root);
            job.put("scheme", "https");
            job.putObject("tls_config").put("ca_file", ca.cert().toString());
            Chart.YAML.writeValue(config.toFile(), root);

            try (PrometheusServer prometheus = PrometheusServer.start(config)) {
                String up = "up{job=\"bpfscope\", node=\"" + NODE + "\"}";
                assertThat(RingDrain.await(() -> value(prometheus, up) == 1.0, Duration.ofSeconds(45)))
                        .as("%s; targets: %s", up, prometheus.get("/api/v1/targets")).isTrue();
                List<JsonNode> execs = prometheus.vector("bpfscope_exec_total{node=\"" + NODE + "\"}");
                assertThat(execs).as("exec counters scraped over HTTPS").isNotEmpty();
            }
        }
    }

    private static double value(PrometheusServer prometheus, String query) {
        List<JsonNode> result = prometheus.vector(query);
        return result.isEmpty() ? -1 : result.getFirst().path("value").get(1).asDouble();
    }
}
