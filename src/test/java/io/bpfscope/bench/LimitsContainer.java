package io.bpfscope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.Scrape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The daemon's image run as the DaemonSet runs it (README, "Container
 * image": the node's PID namespace and network, every capability dropped
 * but one, a read-only root with a scratch /tmp, the kernel's BTF, tracefs
 * and bpffs, a state directory) under a memory limit without swap, as a
 * pod's, and a CPU quota (docker --cpus, a pod's CPU limit). It listens on
 * a free loopback port. The capability is CAP_SYS_ADMIN: Debian 12's Docker
 * (20.10) does not know the names BPF and PERFMON, and the kernel takes
 * SYS_ADMIN for both.
 */
public final class LimitsContainer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String id;
    private final int port;
    private final long hostPid;

    private LimitsContainer(String id, int port, long hostPid) {
        this.id = id;
        this.port = port;
        this.hostPid = hostPid;
    }

    /**
     * Starts {@code image} limited to {@code memory} (docker's notation:
     * 256m) and {@code cpus} CPUs, and returns once /q/health/ready answers
     * 200, or fails with its log when it does not within {@code ready}.
     */
    public static LimitsContainer start(String image, String memory, String cpus, Path stateDir, Duration ready)
            throws InterruptedException {
        int port;
        try {
            port = Daemon.freePort();
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String id = Commands.output(List.of("docker", "run", "-d", "--network", "host", "--pid", "host",
                "--cap-drop", "ALL", "--cap-add", "SYS_ADMIN", "--read-only", "--tmpfs", "/tmp:rw,exec,nosuid,nodev",
                "--memory", memory, "--memory-swap", memory, "--cpus", cpus,
                "-e", "QUARKUS_HTTP_PORT=" + port, "-e", "QUARKUS_HTTP_HOST=127.0.0.1",
                "-v", "/sys/kernel/btf:/sys/kernel/btf:ro", "-v", "/sys/kernel/tracing:/sys/kernel/tracing:ro",
                "-v", "/sys/fs/bpf:/sys/fs/bpf:ro", "-v", stateDir + ":/var/lib/bpfscope", image)).strip();
        // Its PID is known once it runs; until it is ready, only the id and port are needed.
        LimitsContainer starting = new LimitsContainer(id, port, 0);
        try {
            starting.awaitReady(ready);
            return new LimitsContainer(id, port, starting.inspect().path("Pid").asLong());
        } catch (RuntimeException | InterruptedException e) {
            starting.close();
            throw e;
        }
    }

    private void awaitReady(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!answersReady()) {
            LimitsState state = state();
            if (!state.running() || System.nanoTime() > deadline) {
                throw new HarnessFailure("the container is not ready (" + state + ") within " + patience.toSeconds()
                        + " s; its log ends with:\n" + logTail(15));
            }
            Thread.sleep(200);
        }
    }

    private boolean answersReady() {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri("/q/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String id() {
        return id;
    }

    public int port() {
        return port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** bpfscope's own samples in its /q/metrics. */
    public Map<String, Double> scrape() {
        return Scrape.of(uri("/q/metrics"));
    }

    /** Puts {@code pid} (a host PID: the container shares the host's PID namespace) in the filter. */
    public void trace(long pid) {
        try {
            HttpResponse<String> added = HTTP.send(HttpRequest.newBuilder(uri("/filters/pids"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"pid\":" + pid + "}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (added.statusCode() != 200) {
                throw new HarnessFailure("POST /filters/pids answered " + added.statusCode() + ": " + added.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessFailure("interrupted at POST /filters/pids");
        }
    }

    /** What the engine says of it now. */
    public LimitsState state() {
        JsonNode state = inspect();
        return new LimitsState(state.path("Status").asText(), state.path("Running").asBoolean(),
                state.path("OOMKilled").asBoolean(), state.path("ExitCode").asLong());
    }

    private JsonNode inspect() {
        try {
            return JSON.readTree(Commands.output(List.of("docker", "inspect", "--format", "{{json .State}}", id)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Its memory cgroup's figures so far. */
    public LimitsMemory memory() {
        return LimitsMemory.ofProcess(hostPid);
    }

    public String logTail(int lines) {
        List<String> all = Commands.output(List.of("docker", "logs", "--tail", Integer.toString(lines), id)).lines()
                .toList();
        return String.join("\n", all);
    }

    /** {@code docker stop}: SIGTERM, as the kubelet stops a pod; the state it ended in. */
    public LimitsState stop(Duration grace) {
        Commands.run(List.of("docker", "stop", "-t", Long.toString(grace.toSeconds()), id));
        return state();
    }

    /** Removes it, whatever its state. */
    @Override
    public void close() {
        Commands.run(List.of("docker", "rm", "-f", id));
    }
}
