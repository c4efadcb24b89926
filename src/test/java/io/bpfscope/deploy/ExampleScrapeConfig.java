package io.bpfscope.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.openapi.models.V1Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * deploy/prometheus/scrape-config.yaml made to run here. Debian builds Prometheus without
 * Kubernetes service discovery, and there is no cluster anyway, so the job's
 * kubernetes_sd_configs is swapped for a file_sd_configs naming one target that carries the
 * labels Kubernetes' endpoints discovery would give the chart's Service: its annotations and
 * labels as rendered, a namespace, a pod and a node. Everything else, the relabelling above all,
 * is the file's own. The global scrape and evaluation intervals become 1s, and the alert rules
 * are loaded from their plain form.
 */
final class ExampleScrapeConfig {

    static final Path FILE = Path.of("deploy", "prometheus", "scrape-config.yaml");
    static final String JOB = "bpfscope";

    private ExampleScrapeConfig() {
    }

    /** Writes the configuration for a daemon on 127.0.0.1:{@code port}, seen as running on {@code node}, into {@code dir}. */
    static Path writeFor(Path dir, int port, String node) {
        try {
            ObjectNode config = (ObjectNode) Chart.YAML.readTree(FILE.toFile());
            ObjectNode global = config.withObjectProperty("global");
            global.put("scrape_interval", "1s");
            global.put("evaluation_interval", "1s");
            AlertRules.plainRuleFile(dir);
            config.putArray("rule_files").add("bpfscope-alerts.yaml");

            ObjectNode job = job(config);
            assertThat(job.remove("kubernetes_sd_configs")).as("the job's Kubernetes discovery")
                    .isEqualTo(Chart.YAML.readTree("[{role: endpoints, namespaces: {names: [" + Chart.NAMESPACE + "]}}]"));
            Chart.YAML.writeValue(dir.resolve("targets.yaml").toFile(), List.of(Map.of(
                    "targets", List.of("127.0.0.1:9445"),
                    "labels", discoveredLabels(port, node))));
            job.putArray("file_sd_configs").addObject().putArray("files").add(dir.resolve("targets.yaml").toString());

            Path file = dir.resolve("prometheus.yml");
            Chart.YAML.writeValue(file.toFile(), config);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode job(JsonNode config) {
        for (JsonNode job : (ArrayNode) config.path("scrape_configs")) {
            if (JOB.equals(job.path("job_name").asText())) {
                return (ObjectNode) job;
            }
        }
        throw new AssertionError("no job " + JOB + " in " + FILE);
    }

    /**
     * The __meta_kubernetes_* labels of one endpoint of the chart's Service. The Service says port
     * 9445; the daemon under test listens elsewhere (9445 may be taken), so that one value differs.
     */
    private static Map<String, String> discoveredLabels(int port, String node) {
        V1Service service = Chart.render(Map.of()).one(V1Service.class);
        Map<String, String> labels = new LinkedHashMap<>();
        service.getMetadata().getAnnotations().forEach((key, value) ->
                labels.put("__meta_kubernetes_service_annotation_" + sanitized(key), value));
        service.getMetadata().getLabels().forEach((key, value) ->
                labels.put("__meta_kubernetes_service_label_" + sanitized(key), value));
        assertThat(labels.put("__meta_kubernetes_service_annotation_prometheus_io_port", Integer.toString(port)))
                .isEqualTo("9445");
        labels.put("__meta_kubernetes_namespace", Chart.NAMESPACE);
        labels.put("__meta_kubernetes_pod_name", "bpfscope-x7k2p");
        labels.put("__meta_kubernetes_pod_node_name", node);
        return labels;
    }

    /** As Prometheus' Kubernetes discovery turns annotation and label names into label names. */
    private static String sanitized(String name) {
        return name.replaceAll("[^a-zA-Z0-9_]", "_");
    }
}
