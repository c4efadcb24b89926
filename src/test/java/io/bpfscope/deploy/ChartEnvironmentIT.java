package io.bpfscope.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.Kernel;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container the chart renders, run on this machine: the packaged daemon started with the
 * container's environment, its mounts (the token Secret, the state directory) as directories here.
 * The daemon must take every setting the chart passes, under the names the chart uses, and answer
 * the probes' paths.
 */
class ChartEnvironmentIT {

    private static final String TOKEN = "chart-it-token";
    private static final Map<String, ?> VALUES = Map.of(
            "apiToken", Map.of("value", TOKEN),
            "config", Map.of("buffer", "perf", "writeMaxSeries", 1, "filterMaxPids", 1, "bpfStats", true, "logJson", true,
                    "execArgv", "off", "writeLatency", true, "ui", false),
            "jvm", Map.of("maxHeap", "96m"));

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void daemonTakesEverySettingTheChartGivesIt(@TempDir Path dir) throws Exception {
        Kernel.requireRoot();
        Rendered rendered = Chart.render(VALUES);
        V1DaemonSet daemonSet = rendered.one(V1DaemonSet.class);
        V1Container container = daemonSet.getSpec().getTemplate().getSpec().getContainers().getFirst();
        Map<String, Path> mounts = mountsHere(daemonSet, container, rendered.one(V1Secret.class), dir);
        List<String> env = new ArrayList<>(List.of("env"));
        for (V1EnvVar variable : container.getEnv()) {
            if (variable.getValueFrom() != null) {
                // The downward API's one field the chart asks for: the node's name.
                assertThat(variable.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
                env.add(variable.getName() + "=chart-it-node");
            } else {
                env.add(variable.getName() + "=" + onThisMachine(variable.getValue(), mounts));
            }
        }

        try (Daemon daemon = Daemon.start(env, mounts.get("/var/lib/bpfscope"))) {
            daemon.awaitListening(Duration.ofSeconds(30));
            for (V1Probe probe : List.of(container.getStartupProbe(), container.getReadinessProbe(), container.getLivenessProbe())) {
                awaitStatus(daemon, probe.getHttpGet().getPath(), 200);
            }
            assertThat(streamStatus(daemon, null)).as("/events without the token").isEqualTo(401);
            assertThat(streamStatus(daemon, TOKEN)).as("/events with the Secret's token").isEqualTo(200);
            HttpResponse<String> twoPids = http.send(HttpRequest.newBuilder(uri(daemon, "/filters/pids"))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"pids\":[1," + ProcessHandle.current().pid() + "]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(twoPids.statusCode()).as("two PIDs with filterMaxPids 1: %s", twoPids.body()).isEqualTo(422);
            String metrics = awaitMetrics(daemon, "comm=\"_other\"");
            assertThat(metrics).as("with bpfStats").contains("bpfscope_bpf_program_runs_total{program=\"bpfscope_write\"}");
            assertThat(metrics).as("with writeLatency").contains("bpfscope_write_duration_seconds_count{comm=\"_other\"");
            assertThat(http.send(HttpRequest.newBuilder(daemon.uri("/")).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).as("with ui false").isEqualTo(404);

            String output = daemon.output();
            assertThat(output).contains("attribution: node chart-it-node");
            assertThat(output).contains("Picked up JAVA_TOOL_OPTIONS: -Xms8m -Xmx96m -XX:+UseSerialGC -XX:+UseCompactObjectHeaders -XX:NewRatio=1 -XX:SurvivorRatio=2 -XX:TrimNativeHeapInterval=1000");
            assertThat(residentBytes(daemon.process().pid())).as("resident within the pod's memory limit")
                    .isLessThan(container.getResources().getLimits().get("memory").getNumber().longValue());
            String reading = output.lines().filter(line -> line.contains("reading [")).findFirst().orElseThrow();
            assertThat(new ObjectMapper().readTree(reading).path("message").asText()).as("a JSON log line").endsWith("(perf)");
            assertThat(output).contains("exec arguments on /events: off (bpfscope.exec.argv)");
        }
    }

    /** A directory here for each mount; a Secret volume's items written into it from the rendered Secret. */
    private static Map<String, Path> mountsHere(V1DaemonSet daemonSet, V1Container container, V1Secret secret, Path dir)
            throws Exception {
        Map<String, V1Volume> volumes = new LinkedHashMap<>();
        daemonSet.getSpec().getTemplate().getSpec().getVolumes().forEach(volume -> volumes.put(volume.getName(), volume));
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (V1VolumeMount mount : container.getVolumeMounts()) {
            Path here = Files.createDirectories(dir.resolve(mount.getName()));
            V1Volume volume = volumes.get(mount.getName());
            if (volume.getSecret() != null) {
                assertThat(volume.getSecret().getSecretName()).isEqualTo(secret.getMetadata().getName());
                for (var item : volume.getSecret().getItems()) {
                    Files.write(here.resolve(item.getPath()), secret.getData().get(item.getKey()));
                }
            }
            mounts.put(mount.getMountPath(), here);
        }
        return mounts;
    }

    private static long residentBytes(long pid) throws IOException {
        String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        String kib = status.lines().filter(line -> line.startsWith("VmRSS:")).findFirst().orElseThrow()
                .replaceAll("[^0-9]", "");
        return Long.parseLong(kib) << 10;
    }

    private static String onThisMachine(String value, Map<String, Path> mounts) {
        for (Map.Entry<String, Path> mount : mounts.entrySet()) {
            if (value.startsWith(mount.getKey() + "/") || value.equals(mount.getKey())) {
                return mount.getValue() + value.substring(mount.getKey().length());
            }
        }
        return value;
    }

    private void awaitStatus(Daemon daemon, String path, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> response;
        do {
            response = http.send(HttpRequest.newBuilder(uri(daemon, path)).build(), HttpResponse.BodyHandlers.ofString());
        } while (response.statusCode() != status && System.nanoTime() < deadline && sleep());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(status);
    }

    private String awaitMetrics(Daemon daemon, String containing) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String metrics;
        do {
            metrics = http.send(HttpRequest.newBuilder(uri(daemon, "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        } while (!metrics.contains(containing) && System.nanoTime() < deadline && sleep());
        assertThat(metrics).as("metrics with writeMaxSeries 1").contains(containing);
        return metrics;
    }

    private int streamStatus(Daemon daemon, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(daemon, "/events"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return response.statusCode();
    }

    private static URI uri(Daemon daemon, String path) {
        return URI.create("http://127.0.0.1:" + daemon.port() + path);
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(100);
        return true;
    }
}
