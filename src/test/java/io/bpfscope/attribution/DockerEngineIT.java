package io.bpfscope.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.testing.DockerCli;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real Docker engine (scripts/test starts one), with containers labelled as kubelet labels its own. */
class DockerEngineIT {

    private static final Path SOCKET = Path.of("/var/run/docker.sock");
    private static String image;
    private final List<String> made = new ArrayList<>();
    private final DockerEngine docker = new DockerEngine(SOCKET, Duration.ofSeconds(5));

    @BeforeAll
    static void engine() {
        DockerCli.requireEngine();
        image = DockerCli.baseImage();
    }

    @AfterEach
    void remove() {
        for (String id : made) {
            DockerCli.run("docker", "rm", "-f", id);
        }
    }

    @Test
    void kubeletsLabelsGiveThePodAndTheContainersNameInIt() throws Exception {
        String uid = UUID.randomUUID().toString();
        String id = create("--label", "io.kubernetes.pod.name=web-0", "--label", "io.kubernetes.pod.namespace=shop",
                "--label", "io.kubernetes.pod.uid=" + uid, "--label", "io.kubernetes.container.name=app");

        assertThat(docker.inspect(id)).contains(new Workload(new Container(id, "app", image, ContainerRuntime.DOCKER),
                Optional.of(new Pod("web-0", "shop", uid))));
    }

    @Test
    void aPlainContainerHasItsDockerNameAndNoPod() throws Exception {
        String name = "bpfscope-it-" + UUID.randomUUID();
        String id = create("--name", name);

        assertThat(docker.inspect(id)).contains(new Workload(new Container(id, name, image, ContainerRuntime.DOCKER),
                Optional.empty()));
        assertThat(docker.inspect("0".repeat(64))).as("no such container").isEmpty();
    }

    @Test
    void startDieAndDestroyComeAsEventsUntilTheStreamIsClosed() throws Exception {
        BlockingQueue<RuntimeClient.Event> events = new LinkedBlockingQueue<>();
        CompletableFuture<Void> opened = new CompletableFuture<>();
        CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
            try {
                docker.follow(() -> opened.complete(null), events::add);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        opened.get(10, TimeUnit.SECONDS);
        String id = create();
        DockerCli.run("docker", "start", "--attach", id);
        DockerCli.run("docker", "rm", id);
        made.remove(id);

        List<String> seen = new ArrayList<>();
        while (seen.size() < 3) {
            RuntimeClient.Event event = events.poll(20, TimeUnit.SECONDS);
            assertThat(event).as("events so far for %s: %s", id, seen).isNotNull();
            if (event.id().equals(id)) {
                seen.add(event.action());
            }
        }
        assertThat(seen).containsExactly("start", "die", "destroy");

        docker.close();
        assertThatThrownBy(() -> stream.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(java.io.UncheckedIOException.class);
    }

    private String create(String... options) {
        List<String> command = new ArrayList<>(List.of("docker", "create"));
        command.addAll(List.of(options));
        command.addAll(List.of(image, "true"));
        String id = DockerCli.run(command.toArray(String[]::new)).strip();
        made.add(id);
        return id;
    }

}
