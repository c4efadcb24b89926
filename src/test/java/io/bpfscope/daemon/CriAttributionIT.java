package io.bpfscope.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfscope.testing.CriPods;
import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.RingDrain;
import io.bpfscope.testing.Scrape;
import io.bpfscope.testing.SseClient;
import io.bpfscope.testing.DockerCli;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged daemon names the pod of an exec in a container kubelet's way
 * made through containerd's CRI, on the real containerd scripts/cri-engine
 * starts; Docker's socket is followed beside it, as on a node with both.
 */
class CriAttributionIT {

    private static final String CRI = "-Dbpfscope.attribution.cri-sockets=" + CriPods.SOCKET;

    @BeforeAll
    static void runtime() throws Exception {
        Kernel.requireRoot();
        try (CriPods pods = CriPods.connect()) {
            // Connected: the runtime answers.
        }
    }

    @Test
    void aCriPodsExecsAndWritesCarryItsPodAndItsLifeComesAsRuntimeEvents() throws Exception {
        String uid = UUID.randomUUID().toString();
        String writes = "bpfscope_write_syscalls_total{comm=\"wr1te\",namespace=\"shop\",pod=\"web-0\",container=\"app\"}";
        String events = "bpfscope_attribution_runtime_events_total{api=\"cri\",socket=\"" + CriPods.SOCKET + "\"}";
        try (Daemon daemon = Daemon.start(CRI); CriPods pods = CriPods.connect()) {
            daemon.awaitListening(Duration.ofSeconds(30));
            CriPods.Sandbox sandbox = pods.run("bpfscope-it-" + uid.substring(0, 8), uid);
            try (SseClient client = SseClient.connect(URI.create("http://127.0.0.1:" + daemon.port()
                    + "/events?type=exec&namespace=shop&pod=web-0"), Map.of())) {
                String id = pods.start(sandbox, "app");
                assertThat(pods.exec(id, List.of("sh", "-c", "ln -sf /bin/sh /tmp/wr1te && exec /tmp/wr1te -c "
                        + "'i=0; while [ $i -lt 300 ]; do echo x; i=$((i+1)); done >/dev/null'"))).isZero();

                JsonNode exec = client.await(m -> m.data().path("filename").asText().equals("/tmp/wr1te"),
                        Duration.ofSeconds(20)).data();
                assertThat(exec.path("container").path("id").asText()).as("%s; daemon:%n%s", exec, daemon.output())
                        .isEqualTo(id);
                assertThat(exec.path("container").path("name").asText()).isEqualTo("app");
                assertThat(exec.path("container").path("image").asText()).isEqualTo(CriPods.IMAGE);
                assertThat(exec.path("container").path("runtime").asText()).isEqualTo("containerd");
                assertThat(exec.path("pod").path("name").asText()).isEqualTo("web-0");
                assertThat(exec.path("pod").path("namespace").asText()).isEqualTo("shop");
                assertThat(exec.path("pod").path("uid").asText()).isEqualTo(uid);

                Map<String, Double> samples = Scrape.of(daemon.uri("/metrics"));
                assertThat(samples).containsEntry(writes, 300.0)
                        .containsEntry("bpfscope_container_info{namespace=\"shop\",pod=\"web-0\",container=\"app\","
                                + "container_id=\"" + id + "\",image=\"" + CriPods.IMAGE + "\"}", 1.0);
                assertThat(RingDrain.await(() -> Scrape.of(daemon.uri("/metrics")).getOrDefault(events, 0.0) >= 2,
                        Duration.ofSeconds(10))).as("the container's creation and start, as events").isTrue();
            } finally {
                pods.remove(sandbox);
            }
            assertThat(daemon.output()).contains("attribution: node ").contains("containers from Docker at ")
                    .contains("a CRI runtime at " + CriPods.SOCKET);
            assertThat(daemon.terminate(Duration.ofSeconds(10))).isZero();
        }
    }

    /**
     * While containerd is away, execs flow without their pod and the
     * attribution check says why; once it is back, a new pod's exec is named.
     */
    @Test
    void eventsFlowWhileContainerdRestartsAndAttributionRecovers() throws Exception {
        String uid = UUID.randomUUID().toString();
        try (Daemon daemon = Daemon.start(CRI); CriPods pods = CriPods.connect()) {
            daemon.awaitListening(Duration.ofSeconds(30));
            assertThat(RingDrain.await(() -> Scrape.get(daemon.uri("/q/health/well")).statusCode() == 200,
                    Duration.ofSeconds(20))).as("both runtimes followed").isTrue();
            CriPods.stopRuntime();
            try {
                assertThat(RingDrain.await(() -> Scrape.get(daemon.uri("/q/health/well")).statusCode() == 503,
                        Duration.ofSeconds(20))).as("attribution degraded while containerd is away").isTrue();
                assertThat(Scrape.get(daemon.uri("/q/health/well")).body())
                        .contains("degraded: the container events of containerd 1.7");
                assertThat(Scrape.get(daemon.uri("/q/health/ready")).statusCode()).isEqualTo(200);
            } finally {
                CriPods.startRuntime();
            }
            CriPods.Sandbox sandbox = pods.run("bpfscope-it-" + uid.substring(0, 8), uid);
            try (SseClient client = SseClient.connect(URI.create("http://127.0.0.1:" + daemon.port()
                    + "/events?type=exec"), Map.of())) {
                String id = pods.start(sandbox, "app");
                // Recovering may take a lookup that failed while containerd was starting, and its retry.
                JsonNode inPod = client.awaitRepeating(
                        () -> assertThat(pods.exec(id, List.of("/bin/true", "--back-" + uid))).isZero(),
                        m -> m.data().path("argv").toString().contains("--back-" + uid)
                                && !m.data().path("pod").isNull(), 20)
                        .orElseThrow(() -> new AssertionError("no exec in the new pod was named within 20 s;"
                                + " the daemon said:\n" + daemon.output())).data();
                assertThat(inPod.path("pod").path("uid").asText()).as("%s", inPod).isEqualTo(uid);
            } finally {
                pods.remove(sandbox);
            }
            assertThat(RingDrain.await(() -> Scrape.get(daemon.uri("/q/health/well")).statusCode() == 200,
                    Duration.ofSeconds(45))).as("containerd's events followed again").isTrue();
            assertThat(daemon.output()).contains("the container events of containerd 1.7").contains("are back");
            assertThat(daemon.terminate(Duration.ofSeconds(10))).isZero();
        }
    }

    /**
     * A tmpdir that forbids exec leaves the CRI's transport without its
     * native library: the daemon starts, counts and streams, and the
     * attribution check says what to fix.
     */
    @Test
    void aTmpdirWithoutExecDegradesAttributionOnly(@TempDir Path dir) throws Exception {
        Path noexec = dir.resolve("noexec");
        Files.createDirectories(noexec);
        DockerCli.run("mount", "-t", "tmpfs", "-o", "noexec,size=16m", "tmpfs", noexec.toString());
        try (Daemon daemon = Daemon.start(CRI, "-Djava.io.tmpdir=" + noexec)) {
            daemon.awaitListening(Duration.ofSeconds(30));
            assertThat(RingDrain.await(() -> Scrape.get(daemon.uri("/q/health/well")).statusCode() == 503,
                    Duration.ofSeconds(20))).as("attribution degraded; daemon:%n%s", daemon.output()).isTrue();
            assertThat(Scrape.get(daemon.uri("/q/health/well")).body()).contains("no Unix socket transport")
                    .contains("must allow exec");
            assertThat(Scrape.get(daemon.uri("/q/health/ready")).statusCode()).isEqualTo(200);
            assertThat(daemon.output().lines().filter(line -> line.contains("WARN")
                    && line.contains("no Unix socket transport"))).hasSize(1);
            assertThat(daemon.terminate(Duration.ofSeconds(10))).isZero();
        } finally {
            DockerCli.run("umount", noexec.toString());
        }
    }
}
