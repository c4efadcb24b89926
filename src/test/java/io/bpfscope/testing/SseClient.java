package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A Server-Sent Events client that parses every message of a stream into a list, on its own thread. */
public final class SseClient implements AutoCloseable {

    /** One message: its event name, id and data (parsed as JSON). */
    public record Message(String event, long id, JsonNode data) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final HttpResponse<Stream<String>> response;
    private final Thread thread;

    private SseClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.thread = Thread.ofPlatform().daemon().name("sse-client").start(this::read);
    }

    public static SseClient connect(URI uri, Map<String, String> headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
            headers.forEach(request::header);
            HttpResponse<Stream<String>> response = HttpClient.newHttpClient()
                    .send(request.build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).as("status of %s", uri).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            return new SseClient(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        String event = null;
        long id = -1;
        List<String> data = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (event != null) {
                        messages.add(new Message(event, id, JSON.readTree(String.join("\n", data))));
                    }
                    event = null;
                    id = -1;
                    data.clear();
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4));
                } else if (line.startsWith("data: ")) {
                    data.add(line.substring(6));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // the stream ended: the test closed it, or the server went away
        }
    }

    public List<Message> messages() {
        return messages;
    }

    /** Waits until a message matches; fails with what arrived if none does in time. */
    public Message await(Predicate<Message> match, Duration timeout) throws InterruptedException {
        RingDrain.await(() -> messages.stream().anyMatch(match), timeout);
        return messages.stream().filter(match).findFirst()
                .orElseThrow(() -> new AssertionError("no matching message among " + messages.size() + " received"));
    }

    /** Waits until {@code count} messages match. */
    public List<Message> awaitCount(Predicate<Message> match, int count, Duration timeout) throws InterruptedException {
        RingDrain.await(() -> messages.stream().filter(match).count() >= count, timeout);
        List<Message> matching = messages.stream().filter(match).toList();
        assertThat(matching).as("matching messages").hasSize(count);
        return matching;
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            response.body().close();
        } catch (RuntimeException ignored) {
            // already closed
        }
    }
}
