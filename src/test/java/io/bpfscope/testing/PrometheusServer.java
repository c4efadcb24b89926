package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Prometheus server (Debian's package, /usr/bin/prometheus) on a free loopback port, with
 * the given configuration file and its own storage in a temporary directory; its output in a file.
 */
public final class PrometheusServer implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerProcess server;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(ServerProcess server) {
        this.server = server;
    }

    /** Starts Prometheus with {@code config} and waits until it is ready. */
    public static PrometheusServer start(Path config) throws InterruptedException {
        return start(config, List.of());
    }

    /** The same with {@code --enable-feature=native-histograms}: it then asks for protobuf and keeps native histograms. */
    public static PrometheusServer startWithNativeHistograms(Path config) throws InterruptedException {
        return start(config, List.of("--enable-feature=native-histograms"));
    }

    private static PrometheusServer start(Path config, List<String> flags) throws InterruptedException {
        return new PrometheusServer(ServerProcess.start("prometheus", BINARY, (address, storage) -> {
            List<String> arguments = new ArrayList<>(List.of(
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + storage,
                    "--web.listen-address=" + address));
            arguments.addAll(flags);
            return arguments;
        }));
    }

    /** GET {@code path} (with its query string) from the HTTP API, parsed; any status. */
    public JsonNode get(String pathAndQuery) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.uri().resolve(pathAndQuery)).build(),
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
        return server.output();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
