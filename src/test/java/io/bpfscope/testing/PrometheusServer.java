package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus server (Debian's package, /usr/bin/prometheus) on a free loopback port, with
 * the given configuration file and its own storage in a temporary directory; its output in a file.
 */
public final class PrometheusServer implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path storage;
    private final Path output;
    private final URI uri;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(Process process, Path storage, Path output, URI uri) {
        this.process = process;
        this.storage = storage;
        this.output = output;
        this.uri = uri;
    }

    /** Starts Prometheus with {@code config} and waits until it is ready. */
    public static PrometheusServer start(Path config) throws InterruptedException {
        assertThat(BINARY).as("Prometheus (Debian package prometheus; scripts/install-deps installs it)").isExecutable();
        try {
            Path storage = Files.createTempDirectory("bpfscope-prometheus");
            Path output = Files.createTempFile("bpfscope-prometheus", ".log");
            String address = "127.0.0.1:" + Daemon.freePort();
            Process process = new ProcessBuilder(BINARY.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + storage,
                    "--web.listen-address=" + address)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            PrometheusServer server = new PrometheusServer(process, storage, output, URI.create("http://" + address));
            server.awaitReady(Duration.ofSeconds(30));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GET {@code path} (with its query string) from the HTTP API, parsed; any status. */
    public JsonNode get(String pathAndQuery) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri.resolve(pathAndQuery)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An instant query: the whole answer of /api/v1/query, {@code status} "success" or "error". */
    public JsonNode query(String promql) {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    /** The result vector of an instant query that must succeed. */
    public List<JsonNode> vector(String promql) {
        JsonNode answer = query(promql);
        assertThat(answer.path("status").asText()).as("query %s: %s", promql, answer).isEqualTo("success");
        return answer.path("data").path("result").valueStream().toList();
    }

    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("prometheus alive; its output:%n%s", output()).isTrue();
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(uri.resolve("/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("prometheus not ready after " + timeout + "; output:\n" + output());
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> paths = Files.walk(storage)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        Files.deleteIfExists(output);
    }
}
