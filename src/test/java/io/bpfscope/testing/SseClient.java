package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A Server-Sent Events client that parses every message of a stream into a
 * list, on its own thread. Strictly: the stream must be well-formed UTF-8
 * and each data a single JSON value; anything else is kept as a violation,
 * and {@link #await} and {@link #awaitCount} fail on it.
 */
public final class SseClient implements AutoCloseable {

    /** One message: its event name, id, data (parsed as JSON) and the length of its data line in bytes. */
    public record Message(String event, long id, JsonNode data, int dataBytes) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * Guarded by itself. Not a copy-on-write list: that copies the whole
     * list at every message, seconds of work over a stream of 50,000, and
     * the client falls behind the server on it alone.
     */
    private final List<Message> messages = new ArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final HttpResponse<InputStream> response;
    private final Thread thread;

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.thread = Thread.ofPlatform().daemon().name("sse-client").start(this::read);
    }

    public static SseClient connect(URI uri, Map<String, String> headers) {
        return connect(HttpClient.newHttpClient(), uri, headers);
    }

    /** The same through {@code http} (one set up for HTTPS, say). */
    public static SseClient connect(HttpClient http, URI uri, Map<String, String> headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
            headers.forEach(request::header);
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
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
        byte[] data = null;
        try (InputStream in = new BufferedInputStream(response.body())) {
            for (byte[] line = line(in); line != null; line = line(in)) {
                if (line.length == 0) {
                    if (event != null) {
                        message(event, id, data);
                    }
                    event = null;
                    id = -1;
                    data = null;
                } else if (startsWith(line, "event: ")) {
                    event = text(line).substring(7);
                } else if (startsWith(line, "id: ")) {
                    id = Long.parseLong(text(line).substring(4));
                } else if (startsWith(line, "data: ")) {
                    data = Arrays.copyOfRange(line, 6, line.length);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // the stream ended: the test closed it, or the server went away
        }
    }

    /** The data must be UTF-8 (the JDK's decoder refuses what is not) and one JSON value (Jackson, strict). */
    private void message(String event, long id, byte[] data) {
        if (data == null) {
            violations.add("message " + id + " (" + event + ") has no data");
            return;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data));
            Message message = new Message(event, id, JSON.readTree(data), data.length);
            synchronized (messages) {
                messages.add(message);
            }
        } catch (IOException invalid) { // CharacterCodingException or a Jackson parse error
            violations.add("message " + id + " (" + event + "): " + invalid + " in " + HexFormat.of().formatHex(data));
        }
    }

    /** One line of the stream without its LF, or null at the end. */
    private static byte[] line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return null;
            }
            line.write(b);
        }
        return line.toByteArray();
    }

    private static boolean startsWith(byte[] line, String prefix) {
        return line.length >= prefix.length() && text(Arrays.copyOf(line, prefix.length())).equals(prefix);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Messages that were not UTF-8 or not JSON; none of a sound stream. */
    public List<String> violations() {
        return violations;
    }

    /** The messages received so far, in order: a snapshot. */
    public List<Message> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /** What a test does to make an event: runs a process, which may fail. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    /**
     * Does {@code action} once a second, {@code times} times at most, until a
     * message matches: for what a daemon recovers to within a bound, rather
     * than at the first try. The first match, if one came.
     */
    public Optional<Message> awaitRepeating(Action action, Predicate<Message> match, int times) throws Exception {
        for (int i = 0; i < times && messages().stream().noneMatch(match); i++) {
            action.run();
            RingDrain.await(() -> messages().stream().anyMatch(match), Duration.ofSeconds(1));
        }
        return messages().stream().filter(match).findFirst();
    }

    /** Waits until a message matches; fails with what arrived if none does in time. */
    public Message await(Predicate<Message> match, Duration timeout) throws InterruptedException {
        RingDrain.await(() -> messages().stream().anyMatch(match), timeout);
        assertThat(violations).as("malformed messages").isEmpty();
        List<Message> received = messages();
        return received.stream().filter(match).findFirst()
                .orElseThrow(() -> new AssertionError("no matching message among " + received.size() + " received"));
    }

    /** Waits until {@code count} messages match. */
    public List<Message> awaitCount(Predicate<Message> match, int count, Duration timeout) throws InterruptedException {
        RingDrain.await(() -> messages().stream().filter(match).count() >= count, timeout);
        assertThat(violations).as("malformed messages").isEmpty();
        List<Message> matching = messages().stream().filter(match).toList();
        assertThat(matching).as("matching messages").hasSize(count);
        return matching;
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            response.body().close();
        } catch (IOException | RuntimeException ignored) {
            // already closed
        }
    }
}
