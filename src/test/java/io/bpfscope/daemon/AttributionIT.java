package io.bpfscope.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfscope.testing.Cgroup2;
import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.DockerCli;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.RingDrain;
import io.bpfscope.testing.Scrape;
import io.bpfscope.testing.SseClient;
import io.bpfscope.testing.SseClient.Message;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged daemon names the container and pod of an exec in another
 * container, made by the real Docker engine as kubelet makes its own.
 */
class AttributionIT {

    private static String image;

    @BeforeAll
    static void engine() {
        Kernel.requireRoot();
        DockerCli.requireEngine();
        image = DockerCli.baseImage();
    }

    @Test
    void anExecInAPodsContainerNamesThePodAndAHostExecNamesNone() throws Exception {
        String uid = UUID.randomUUID().toString();
        String top = "bpfscope-it-" + uid.substring(0, 8);
        String marker = "--marker-" + uid;
        try (Daemon daemon = Daemon.start("-Dbpfscope.attribution.node-name=node-it")) {
            daemon.awaitListening(Duration.ofSeconds(30));
            String id = DockerCli.runInPod(image, top, uid);
            try (SseClient client = SseClient.connect(
                    URI.create("http://127.0.0.1:" + daemon.port() + "/events?type=exec"), Map.of())) {
                DockerCli.run("docker", "exec", id, "/bin/true", marker);
                Process host = new ProcessBuilder("/bin/true", marker).start();
                assertThat(host.waitFor(10, TimeUnit.SECONDS)).isTrue();

                // (The docker command's own exec carries the marker too.)
                JsonNode inPod = client.await(m -> m.data().path("argv").toString().contains(marker)
                        && m.data().path("filename").asText().equals("/bin/true")
                        && m.data().path("pid").asLong() != host.pid(), Duration.ofSeconds(20)).data();
                assertThat(inPod.path("node").asText()).isEqualTo("node-it");
                assertThat(inPod.path("container").path("id").asText()).as("%s; daemon:%n%s", inPod, daemon.output())
                        .isEqualTo(id);
                assertThat(inPod.path("container").path("name").asText()).isEqualTo("app");
                assertThat(inPod.path("container").path("image").asText()).isEqualTo(image);
                assertThat(inPod.path("container").path("runtime").asText()).isEqualTo("docker");
                assertThat(inPod.path("pod").path("name").asText()).isEqualTo("web-0");
                assertThat(inPod.path("pod").path("namespace").asText()).isEqualTo("shop");
                assertThat(inPod.path("pod").path("uid").asText()).isEqualTo(uid);

                Message onHost = client.await(m -> m.data().path("pid").asLong() == host.pid()
                        && m.data().path("filename").asText().equals("/bin/true"), Duration.ofSeconds(20));
                assertThat(onHost.data().path("container").isNull()).isTrue();
                assertThat(onHost.data().path("pod").isNull()).isTrue();
                assertThat(onHost.data().path("node").asText()).isEqualTo("node-it");
            } finally {
                DockerCli.run("docker", "rm", "-f", id);
                DockerCli.removeCgroups(top);
            }
            assertThat(Scrape.sample(daemon, "bpfscope_attribution_lookups_total{result=\"found\"}"))
                    .as("the pod's container, asked about once").isGreaterThanOrEqualTo(1);
            assertThat(Scrape.sample(daemon, "bpfscope_attribution_unresolved_total")).isGreaterThanOrEqualTo(0);
            assertThat(daemon.output()).contains("attribution: node node-it");
            assertThat(daemon.terminate(Duration.ofSeconds(10))).isZero();
        }
    }

    /**
     * A pod's writes count under its labels, exactly; its execs and writes
     * reach the clients that filter on it, and only those; its series and
     * its container's info go once the container has been gone for the grace.
     */
    @Test
    void aPodsCountsCarryItsLabelsItsEventsPassItsFiltersAndItsSeriesGoAfterTheGrace() throws Exception {
        String uid = UUID.randomUUID().toString();
        String top = "bpfscope-it-" + uid.substring(0, 8);
        String writes = "bpfscope_write_syscalls_total{comm=\"wr1te\",namespace=\"shop\",pod=\"web-0\",container=\"app\"}";
        try (Daemon daemon = Daemon.start("-Dbpfscope.attribution.series-grace=2s")) {
            daemon.awaitListening(Duration.ofSeconds(30));
            String id = DockerCli.runInPod(image, top, uid);
            String info = "bpfscope_container_info{namespace=\"shop\",pod=\"web-0\",container=\"app\",container_id=\""
                    + id + "\",image=\"" + image + "\"}";
            try (SseClient inPod = SseClient.connect(URI.create("http://127.0.0.1:" + daemon.port()
                         + "/events?type=exec&namespace=shop&pod=web-0&container=app"), Map.of());
                 SseClient elsewhere = SseClient.connect(URI.create("http://127.0.0.1:" + daemon.port()
                         + "/events?namespace=elsewhere"), Map.of());
                 SseClient byShortId = SseClient.connect(URI.create("http://127.0.0.1:" + daemon.port()
                         + "/events?type=write&container=" + id.substring(0, 12)), Map.of())) {
                long pid = DockerCli.pidOf(id);
                HttpResponse<String> added = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + daemon.port() + "/filters/pids"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"pid\": " + pid + "}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
                JsonNode tick = byShortId.await(m -> m.data().path("pid").asLong() == pid, Duration.ofSeconds(20)).data();
                assertThat(tick.path("cgroupId").asLong()).isEqualTo(Cgroup2.idOf(pid));
                assertThat(tick.path("pod").path("name").asText()).isEqualTo("web-0");
                assertThat(tick.path("container").path("id").asText()).isEqualTo(id);

                Process host = new ProcessBuilder("/bin/true", "--host-" + uid).start();
                assertThat(host.waitFor(10, TimeUnit.SECONDS)).isTrue();
                DockerCli.run("docker", "exec", id, "sh", "-c", "ln -sf /bin/sh /tmp/wr1te && exec /tmp/wr1te -c "
                        + "'i=0; while [ $i -lt 300 ]; do echo x; i=$((i+1)); done >/dev/null'");

                JsonNode exec = inPod.await(m -> m.data().path("filename").asText().equals("/tmp/wr1te"),
                        Duration.ofSeconds(20)).data();
                assertThat(exec.path("container").path("name").asText()).isEqualTo("app");
                assertThat(inPod.messages()).as("the namespace's stream").noneMatch(
                        m -> m.data().path("pid").asLong() == host.pid() || m.data().path("container").isNull());
                // Word of losses in the kernel reaches it: whose they were cannot be known.
                assertThat(elsewhere.messages()).as("a namespace where nothing runs")
                        .allMatch(m -> m.event().equals("lost"));

                Map<String, Double> samples = Scrape.of(daemon.uri("/metrics"));
                assertThat(samples).containsEntry(writes, 300.0)
                        .containsEntry(writes.replace("write_syscalls", "write_bytes"), 600.0)
                        .containsEntry(info, 1.0);
                assertThat(samples.get("bpfscope_exec_total{result=\"success\",namespace=\"shop\"}"))
                        .as("docker exec's shell, ln and wr1te").isGreaterThanOrEqualTo(3);
            } finally {
                DockerCli.run("docker", "rm", "-f", id);
                DockerCli.removeCgroups(top);
            }
            assertThat(RingDrain.await(() -> !Scrape.of(daemon.uri("/metrics")).containsKey(writes), Duration.ofSeconds(30)))
                    .as("the series of a container gone for the grace period are removed").isTrue();
            Map<String, Double> after = Scrape.of(daemon.uri("/metrics"));
            assertThat(after.keySet()).noneMatch(series -> series.contains(id));
            assertThat(after.get("bpfscope_series_retired_total")).isGreaterThanOrEqualTo(1);
            assertThat(daemon.terminate(Duration.ofSeconds(10))).isZero();
        }
    }

    /**
     * A container that runs for a moment and is removed before any scrape:
     * its writes are counted in the kernel under its cgroup, and the scrape
     * labels them with the pod its exec was attributed to.
     */
    @Test
    void aContainerGoneBeforeTheScrapeIsCountedUnderItsPod() throws Exception {
        String uid = UUID.randomUUID().toString();
        String top = "bpfscope-it-" + uid.substring(0, 8);
        String series = "bpfscope_write_syscalls_total{comm=\"bl1nk\",namespace=\"shop\",pod=\"web-0\",container=\"app\"}";
        try (Daemon daemon = Daemon.start()) {
            daemon.awaitListening(Duration.ofSeconds(30));
            try {
                DockerCli.runAsPod(List.of("--rm"), top, uid, image, "sh", "-c", "ln -s /bin/sh /tmp/bl1nk && exec "
                        + "/tmp/bl1nk -c 'i=0; while [ $i -lt 50 ]; do echo x; i=$((i+1)); done >/dev/null'");
            } finally {
                DockerCli.removeCgroups(top);
            }
            assertThat(DockerCli.run("docker", "ps", "-a", "--quiet", "--filter", "label=io.kubernetes.pod.uid=" + uid))
                    .as("the container is gone").isBlank();
            assertThat(Scrape.of(daemon.uri("/metrics"))).containsEntry(series, 50.0);
            assertThat(daemon.terminate(Duration.ofSeconds(10))).isZero();
        }
    }

    /**
     * While the engine is away, events flow without their container and the
     * attribution check says why; once it is back, a new pod's exec is named.
     */
    @Test
    void eventsFlowWhileTheEngineRestartsAndAttributionRecovers() throws Exception {
        String uid = UUID.randomUUID().toString();
        String top = "bpfscope-it-" + uid.substring(0, 8);
        try (Daemon daemon = Daemon.start()) {
            daemon.awaitListening(Duration.ofSeconds(30));
            try (SseClient client = SseClient.connect(
                    URI.create("http://127.0.0.1:" + daemon.port() + "/events?type=exec"), Map.of())) {
                DockerCli.stopEngine();
                try {
                    Process host = new ProcessBuilder("/bin/true", "--away-" + uid).start();
                    assertThat(host.waitFor(10, TimeUnit.SECONDS)).isTrue();
                    assertThat(client.await(m -> m.data().path("pid").asLong() == host.pid(), Duration.ofSeconds(10))
                            .data().path("container").isNull()).isTrue();
                    assertThat(RingDrain.await(() -> Scrape.get(daemon.uri("/q/health/well")).statusCode() == 503,
                            Duration.ofSeconds(20))).as("attribution degraded while the engine is away").isTrue();
                    assertThat(Scrape.get(daemon.uri("/q/health/well")).body()).contains("degraded: the container events of Docker at");
                    assertThat(Scrape.get(daemon.uri("/q/health/ready")).statusCode()).isEqualTo(200);
                } finally {
                    DockerCli.startEngine();
                }
                String id = DockerCli.runInPod(image, top, uid);
                try {
                    // Recovering may take a lookup that failed while the engine was starting, and its retry.
                    JsonNode inPod = client.awaitRepeating(
                            () -> DockerCli.run("docker", "exec", id, "/bin/true", "--back-" + uid),
                            m -> m.data().path("argv").toString().contains("--back-" + uid)
                                    && m.data().path("filename").asText().equals("/bin/true")
                                    && !m.data().path("container").isNull(), 20)
                            .orElseThrow(() -> new AssertionError("no exec in the new pod was named within 20 s;"
                                    + " the daemon said:\n" + daemon.output())).data();
                    assertThat(inPod.path("pod").path("name").asText()).isEqualTo("web-0");
                } finally {
                    DockerCli.run("docker", "rm", "-f", id);
                    DockerCli.removeCgroups(top);
                }
                assertThat(RingDrain.await(() -> Scrape.get(daemon.uri("/q/health/well")).statusCode() == 200,
                        Duration.ofSeconds(45))).as("the event stream followed again").isTrue();
                assertThat(daemon.output()).contains("are back");
            }
            assertThat(daemon.terminate(Duration.ofSeconds(10))).isZero();
        }
    }

    /** A runtime socket that is not there: one line says so, events flow unnamed, readiness stays UP. */
    @Test
    void aMissingRuntimeSocketDegradesAttributionOnly() throws Exception {
        try (Daemon daemon = Daemon.start("-Dbpfscope.attribution.docker-socket=/run/bpfscope-no-such.sock")) {
            daemon.awaitListening(Duration.ofSeconds(30));
            try (SseClient client = SseClient.connect(
                    URI.create("http://127.0.0.1:" + daemon.port() + "/events?type=exec"), Map.of())) {
                Process host = new ProcessBuilder("/bin/true").start();
                assertThat(host.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(client.await(m -> m.data().path("pid").asLong() == host.pid(), Duration.ofSeconds(10))
                        .data().path("container").isNull()).isTrue();
            }
            assertThat(RingDrain.await(() -> Scrape.get(daemon.uri("/q/health/well")).statusCode() == 503,
                    Duration.ofSeconds(10))).isTrue();
            assertThat(Scrape.get(daemon.uri("/q/health/ready")).statusCode()).isEqualTo(200);
            assertThat(daemon.output().lines().filter(line -> line.contains("/run/bpfscope-no-such.sock")
                    && line.contains("WARN"))).hasSize(1);
            assertThat(daemon.terminate(Duration.ofSeconds(10))).isZero();
        }
    }
}
