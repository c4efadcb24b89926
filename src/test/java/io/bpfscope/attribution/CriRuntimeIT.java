package io.bpfscope.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.testing.CriPods;
import io.bpfscope.testing.Kernel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** containerd's CRI, as the test containerd serves it: what it says of a pod's container, and its container events. */
class CriRuntimeIT {

    @Test
    void aPodsContainerIsNamedFromKubeletsLabelsAndItsLifeComesAsEvents() throws Exception {
        Kernel.requireRoot();
        String uid = UUID.randomUUID().toString();
        try (CriPods pods = CriPods.connect(); CriRuntime cri = new CriRuntime(CriPods.SOCKET, Duration.ofSeconds(5))) {
            BlockingQueue<RuntimeClient.Event> events = new LinkedBlockingQueue<>();
            CompletableFuture<Void> opened = new CompletableFuture<>();
            CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
                try {
                    cri.follow(() -> opened.complete(null), events::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            opened.get(10, TimeUnit.SECONDS);
            assertThat(cri.describe()).startsWith("containerd 1.7").endsWith(" at " + CriPods.SOCKET);
            assertThat(cri.mayRun(Optional.of(ContainerRuntime.CONTAINERD))).isTrue();
            assertThat(cri.mayRun(Optional.of(ContainerRuntime.DOCKER))).isFalse();

            CriPods.Sandbox sandbox = pods.run("bpfscope-it-" + uid.substring(0, 8), uid);
            String id;
            try {
                id = pods.start(sandbox, "app");
                assertThat(cri.inspect(id)).contains(new Workload(
                        new Container(id, "app", CriPods.IMAGE, ContainerRuntime.CONTAINERD),
                        Optional.of(new Pod("web-0", "shop", uid))));
                assertThat(cri.inspect(id.substring(0, 12)).map(w -> w.container().id()))
                        .as("a short id names the container too").contains(id);
            } finally {
                pods.remove(sandbox);
            }
            assertThat(cri.inspect(id)).as("a removed container").isEmpty();
            assertThat(cri.inspect("0".repeat(64))).as("no such container").isEmpty();

            List<String> seen = new ArrayList<>();
            while (seen.size() < 4) {
                RuntimeClient.Event event = events.poll(20, TimeUnit.SECONDS);
                assertThat(event).as("events so far for %s: %s", id, seen).isNotNull();
                if (event.id().equals(id)) {
                    seen.add(event.action());
                }
            }
            assertThat(seen).containsExactly("created", "started", "stopped", "deleted");

            cri.close();
            assertThatThrownBy(() -> stream.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(UncheckedIOException.class);
        }
    }
}
