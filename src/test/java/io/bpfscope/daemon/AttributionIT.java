package io.bpfscope.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.DockerCli;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.Scrape;
import io.bpfscope.testing.SseClient;
import io.bpfscope.testing.SseClient.Message;
import java.net.URI;
import java.time.Duration;
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
}
