package io.bpfscope.attribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Docker Engine API on its Unix socket: a container's name, image and
 * labels (kubelet's among them, where kubelet made the container through
 * Docker), and the stream of container events.
 */
public final class DockerEngine {

    /** The API version asked for: 1.41 is Docker 20.10's, and every later engine still serves it. */
    private static final String API = "/v1.41";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT_FILTER = URLEncoder.encode(
            "{\"type\":[\"container\"],\"event\":[\"start\",\"die\",\"destroy\"]}", StandardCharsets.UTF_8);

    /** A container event: what happened ("start", "die", "destroy") to which container. */
    public record Event(String action, String id) {
    }

    private final UnixHttp http;
    private final Duration timeout;

    public DockerEngine(Path socket, Duration timeout) {
        this.http = new UnixHttp(socket);
        this.timeout = timeout;
    }

    public Path socket() {
        return http.socket();
    }

    /** What the engine knows of container {@code id}: empty when it knows no such container. */
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
        JsonNode labels = container.path("Config").path("Labels");
        String name = label(labels, "io.kubernetes.container.name")
                .orElse(container.path("Name").asText().replaceFirst("^/", ""));
        return Optional.of(new Workload(
                new Container(container.path("Id").asText(id), name, container.path("Config").path("Image").asText(),
                        ContainerRuntime.DOCKER),
                pod(labels)));
    }

    /**
     * Streams container events until the engine ends the stream or the
     * channel handed to {@code opened} is closed.
     */
    public void events(Consumer<SocketChannel> opened, Consumer<Event> event) throws IOException {
        int status = http.stream(API + "/events?filters=" + EVENT_FILTER, opened, line -> {
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

    /** The pod of kubelet's labels, when all three are there. */
    static Optional<Pod> pod(JsonNode labels) {
        Optional<String> name = label(labels, "io.kubernetes.pod.name");
        Optional<String> namespace = label(labels, "io.kubernetes.pod.namespace");
        Optional<String> uid = label(labels, "io.kubernetes.pod.uid");
        if (name.isEmpty() || namespace.isEmpty() || uid.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Pod(name.get(), namespace.get(), uid.get()));
    }

    private static Optional<String> label(JsonNode labels, String key) {
        JsonNode value = labels.path(key);
        return value.isTextual() && !value.asText().isEmpty() ? Optional.of(value.asText()) : Optional.empty();
    }
}
