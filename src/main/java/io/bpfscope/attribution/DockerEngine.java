package io.bpfscope.attribution;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Docker Engine API on its Unix socket: a container's name, image and
 * labels (kubelet's among them, where kubelet made the container through
 * Docker), and the stream of container events.
 */
public final class DockerEngine implements RuntimeClient {

    /** The API version asked for: 1.41 is Docker 20.10's, and every later engine still serves it. */
    private static final String API = "/v1.41";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT_FILTER = URLEncoder.encode(
            "{\"type\":[\"container\"],\"event\":[\"start\",\"die\",\"destroy\"]}", StandardCharsets.UTF_8);

    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
    };

    private final UnixHttp http;
    private final Duration timeout;
    /** The events stream's connection while one is open: closing it ends {@link #follow}. */
    private volatile SocketChannel events;

    public DockerEngine(Path socket, Duration timeout) {
        this.http = new UnixHttp(socket);
        this.timeout = timeout;
    }

    @Override
    public String api() {
        return "docker";
    }

    @Override
    public Path socket() {
        return http.socket();
    }

    @Override
    public String describe() {
        return "Docker at " + http.socket();
    }

    @Override
    public boolean mayRun(Optional<ContainerRuntime> runtime) {
        return runtime.isEmpty() || runtime.get() == ContainerRuntime.DOCKER;
    }

    @Override
    public Optional<Workload> inspect(String id) throws IOException {
        UnixHttp.Response response = http.get(API + "/containers/" + id + "/json", timeout);
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (response.status() != 200) {
            throw new IOException("Docker answered " + response.status() + " to inspecting " + id + ": "
                    + response.body().strip());
        }
        JsonNode container = JSON.readTree(response.body());
        JsonNode labelled = container.path("Config").path("Labels");
        Map<String, String> labels = labelled.isObject() ? JSON.convertValue(labelled, LABELS) : Map.of();
        String name = KubeletLabels.containerName(labels)
                .orElse(container.path("Name").asText().replaceFirst("^/", ""));
        return Optional.of(new Workload(
                new Container(container.path("Id").asText(id), name, container.path("Config").path("Image").asText(),
                        ContainerRuntime.DOCKER),
                KubeletLabels.pod(labels)));
    }

    /** Actions "start", "die" and "destroy". */
    @Override
    public void follow(Runnable opened, Consumer<Event> event) throws IOException {
        int status = http.stream(API + "/events?filters=" + EVENT_FILTER, channel -> {
            events = channel;
            opened.run();
        }, line -> {
            try {
                JsonNode node = JSON.readTree(line);
                event.accept(new Event(node.path("Action").asText(), node.path("Actor").path("ID").asText()));
            } catch (IOException e) {
                throw new IllegalStateException("Docker sent an event that is not JSON: " + line, e);
            }
        });
        if (status != 200) {
            throw new IOException("Docker answered " + status + " to the events stream");
        }
    }

    @Override
    public void close() {
        SocketChannel channel = events;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Closed is all that was wanted.
            }
        }
    }
}
