package io.bpfscope.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Capability;
import io.bpfscope.attribution.cri.CriException;
import io.bpfscope.testing.CriPods;
import io.bpfscope.testing.DockerCli;
import io.bpfscope.testing.ExpectedPaths;
import io.bpfscope.testing.HostJvmOptions;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.RingDrain;
import io.bpfscope.testing.Scrape;
import io.bpfscope.testing.SseClient;
import io.bpfscope.testing.SseClient.Message;
import io.bpfscope.testing.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The image built from the Dockerfile and run as the DaemonSet runs it, seen
 * from the host: health, a host process's exec and exact write counts, a PID
 * filter set over REST, another container's exec named with its pod, and
 * nothing left in the kernel after `docker stop`.
 *
 * <p>The capability it runs with is CAP_SYS_ADMIN: the Docker engine Debian 12
 * ships (20.10) does not know the names BPF and PERFMON, and SYS_ADMIN stands
 * in for both in the kernel's checks (README, "Container image").
 */
class ContainerIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int WRITES = 1000;
    private static final int BYTES = 64;
    private static final int TRACED_WRITES = 300;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ImageFromDockerfile image;

    @BeforeAll
    static void dockerAndRoot() throws CriException {
        Kernel.requireRoot();
        assertThat(DockerClientFactory.instance().isDockerAvailable())
                .as("a Docker engine answers (scripts/test starts one with scripts/docker-engine)").isTrue();
        // Before any container binds its socket: Docker would make a directory where none is.
        try (CriPods pods = CriPods.connect()) {
            // The test containerd answers.
        }
        image = BpfscopeImage.fromDockerfile();
    }

    @Test
    void observesTheHostFromTheContainerAndLeavesNothingLoaded(@TempDir Path state) throws Exception {
        try (BpfscopeContainer daemon = new BpfscopeContainer(image, state, Capability.SYS_ADMIN)) {
            // The launcher's own variable, beside JAVA_TOOL_OPTIONS: logging does not change what the cache fits.
            daemon.withEnv("JDK_JAVA_OPTIONS", "-Xlog:aot=info")
                    // The chart's export.stdout: execs as JSON lines for the runtime's log, the log itself on stderr.
                    .withEnv("BPFSCOPE_EXPORT_STDOUT", "true")
                    .withEnv("BPFSCOPE_EXPORT_TYPES", "exec")
                    .withEnv("QUARKUS_LOG_CONSOLE_STDERR", "true")
                    .start();
            HttpResponse<String> ready = get(daemon.uri("/q/health/ready"));
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(ready.body()).path("status").asText()).isEqualTo("UP");
            Set<Long> programs = programsHeldBy(daemon.hostPid());

            try (Writer writer = Writer.prepare(WRITES, BYTES);
                 SseClient execs = SseClient.connect(daemon.uri("/events?type=exec&comm=" + writer.comm()), Map.of())) {
                writer.run();

                Message exec = execs.await(m -> m.data().path("pid").asLong() == writer.pid(), WAIT);
                assertThat(exec.data().path("filename").asText()).endsWith("/" + writer.comm());
                assertThat(exec.data().path("ret").asInt()).isZero();
                String metrics = get(daemon.uri("/q/metrics")).body();
                assertThat(sample(metrics, "bpfscope_write_syscalls_total" + Scrape.onHost(writer.comm()))).isEqualTo(WRITES);
                assertThat(sample(metrics, "bpfscope_write_bytes_total" + Scrape.onHost(writer.comm())))
                        .isEqualTo((double) WRITES * BYTES);
            }

            try (Writer traced = Writer.prepare(TRACED_WRITES, 3);
                 SseClient writes = SseClient.connect(daemon.uri("/events?type=write&comm=" + traced.comm()), Map.of())) {
                HttpResponse<String> added = post(daemon.uri("/filters/pids"), "{\"pid\":" + traced.pid() + "}");
                assertThat(added.statusCode()).as("POST /filters/pids: %s", added.body()).isEqualTo(200);
                assertThat(Files.readString(state.resolve("pid-filter.json"))).as("filter saved in the state volume")
                        .contains(Integer.toString(traced.pid()));
                traced.run();

                List<Message> streamed = writes.awaitCount(m -> m.event().equals("write"), TRACED_WRITES, WAIT);
                assertThat(streamed).allSatisfy(m -> {
                    assertThat(m.data().path("pid").asLong()).isEqualTo(traced.pid());
                    assertThat(m.data().path("count").asLong()).isEqualTo(3);
                });
            }

            // As the DaemonSet would: another container's exec, named with its pod.
            String uid = UUID.randomUUID().toString();
            String top = "bpfscope-container-it-" + uid.substring(0, 8);
            String other = DockerCli.runInPod(DockerCli.baseImage(), top, uid);
            try (SseClient inPods = SseClient.connect(daemon.uri("/events?type=exec&namespace=shop"), Map.of())) {
                DockerCli.run("docker", "exec", other, "/bin/true", "--from-" + uid);
                JsonNode exec = inPods.await(m -> m.data().path("argv").toString().contains("--from-" + uid)
                        && m.data().path("filename").asText().equals("/bin/true"), WAIT).data();
                assertThat(exec.path("node").asText()).isEqualTo(BpfscopeContainer.NODE);
                assertThat(exec.path("container").path("id").asText()).isEqualTo(other);
                assertThat(exec.path("pod").path("name").asText()).isEqualTo("web-0");
                assertThat(exec.path("pod").path("uid").asText()).isEqualTo(uid);

                // The same object in `docker logs`, on standard output, which the daemon's log lines left alone.
                Predicate<String> sameExec = line -> line.contains("--from-" + uid)
                        && line.contains("\"filename\":\"/bin/true\"");
                assertThat(RingDrain.await(() -> daemon.getLogs(OutputFrame.OutputType.STDOUT).lines().anyMatch(sameExec),
                        WAIT)).as("the exec on the container's stdout").isTrue();
                String stdout = daemon.getLogs(OutputFrame.OutputType.STDOUT);
                String exported = stdout.lines().filter(sameExec).findFirst().orElseThrow();
                assertThat(JSON.readTree(exported)).isEqualTo(exec);
                assertThat(stdout).doesNotContain("Listening on");
                assertThat(daemon.getLogs(OutputFrame.OutputType.STDERR)).contains("Listening on")
                        .contains("export: [exec] events as JSON lines to stdout");
            } finally {
                DockerCli.run("docker", "rm", "-f", other);
                DockerCli.removeCgroups(top);
            }
            // And a pod's exec through containerd's CRI, whose gRPC client must work in the image's runtime.
            try (CriPods pods = CriPods.connect();
                 SseClient inPods = SseClient.connect(daemon.uri("/events?type=exec&namespace=shop"), Map.of())) {
                CriPods.Sandbox sandbox = pods.run(top, uid);
                try {
                    String id = pods.start(sandbox, "app");
                    assertThat(pods.exec(id, List.of("/bin/true", "--cri-" + uid))).isZero();
                    JsonNode exec = inPods.await(m -> m.data().path("argv").toString().contains("--cri-" + uid), WAIT)
                            .data();
                    assertThat(exec.path("container").path("id").asText()).as("%s; log:%n%s", exec, daemon.getLogs())
                            .isEqualTo(id);
                    assertThat(exec.path("container").path("runtime").asText()).isEqualTo("containerd");
                    assertThat(exec.path("pod").path("uid").asText()).isEqualTo(uid);
                } finally {
                    pods.remove(sandbox);
                }
            }
            assertThat(get(daemon.uri("/q/health/well")).statusCode()).as("attribution complete").isEqualTo(200);
            assertThat(daemon.getLogs()).as("the JVM runs from the AOT cache the image's build made")
                    .contains("Opened AOT cache /opt/bpfscope/bpfscope.aot").contains("Using AOT-linked classes: true");

            assertThat(daemon.stopGracefully(Duration.ofSeconds(20))).as("exit status after docker stop; log:%n%s",
                    daemon.getLogs()).isZero();
            assertThat(daemon.getLogs()).contains("detached and unloaded bpfscope's programs")
                    .as("the image's JVM options are a host's").contains("Picked up JAVA_TOOL_OPTIONS: " + HostJvmOptions.line());
            Kernel.assertUnloaded(programs);
        }
    }

    @Test
    void withoutCapabilitiesItSaysWhatItNeedsAndExitsOne(@TempDir Path state) {
        try (BpfscopeContainer daemon = new BpfscopeContainer(image, state).failingAtStartUp()) {
            daemon.start();

            assertThat(daemon.exitStatus()).isEqualTo(1);
            assertThat(daemon.getLogs()).contains("bpfscope needs root, or CAP_BPF and CAP_PERFMON, to load BPF programs"
                    + " (effective capabilities: 0x0)");
        }
    }

    /** The daemon's programs, by the descriptors its process holds: those expected on this kernel. */
    private static Set<Long> programsHeldBy(long pid) {
        Set<Long> held = Kernel.programIdsHeldBy(pid);
        List<String> names = new ArrayList<>();
        for (JsonNode program : Kernel.bpftool("prog", "show")) {
            if (held.contains(program.path("id").asLong())) {
                names.add(program.path("name").asText());
            }
        }
        assertThat(names).as("programs held by the container's daemon (host PID %d)", pid)
                .containsExactlyInAnyOrderElementsOf(ExpectedPaths.here().programs());
        return held;
    }

    /** The value of one series in a Prometheus text exposition. */
    private static double sample(String exposition, String series) {
        return exposition.lines()
                .filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + series + " in:\n" + exposition));
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(URI uri, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
