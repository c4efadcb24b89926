package io.bpfscope.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An /events client that behaves as the EventSource specification has
 * browsers behave: the last event id follows every {@code id:} field, of
 * messages without data too; when the stream ends or cannot be opened it
 * waits and connects again to the same address, sending that id as
 * {@code Last-Event-ID}. What it received, and the ids it sent, are kept
 * across connections.
 */
public final class ResumingSseClient implements AutoCloseable {

    private static final Duration RETRY = Duration.ofMillis(200);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One message, with the connection (counted from 1) it came on and the last event id after it. */
    public record Message(int connection, String event, String lastEventId, JsonNode data) {
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI uri;
    private final List<Message> messages = new ArrayList<>();
    private final List<String> sentIds = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile String lastEventId = "";
    private int connections;

    public ResumingSseClient(URI uri) {
        this.uri = uri;
        this.thread = Thread.ofPlatform().daemon().name("resuming-sse-client").start(this::run);
    }

    private void run() {
        while (!closed) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
                if (!lastEventId.isEmpty()) {
                    request.header("Last-Event-ID", lastEventId);
                }
                HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() == 200) {
                    synchronized (messages) {
                        connections++;
                        sentIds.add(lastEventId);
                    }
                    read(response.body());
                } else {
                    response.body().close();
                }
            } catch (IOException e) {
                // refused while the daemon is down, or cut: try again
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(RETRY);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void read(InputStream body) throws IOException {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String event = "";
            StringBuilder data = new StringBuilder();
            String idBuffer = lastEventId;
            for (String line = lines.readLine(); line != null && !closed; line = lines.readLine()) {
                if (line.isEmpty()) {
                    lastEventId = idBuffer;
                    if (!data.isEmpty()) {
                        dispatch(event.isEmpty() ? "message" : event, data.toString());
                    }
                    event = "";
                    data.setLength(0);
                } else if (!line.startsWith(":")) {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "event" -> event = value;
                        case "data" -> data.append(data.isEmpty() ? "" : "\n").append(value);
                        case "id" -> idBuffer = value;
                        default -> { }
                    }
                }
            }
        }
    }

    private void dispatch(String event, String data) throws IOException {
        Message message = new Message(connections, event, lastEventId, JSON.readTree(data));
        synchronized (messages) {
            messages.add(message);
        }
    }

    public List<Message> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /** The Last-Event-ID sent with each connection that opened, in order ("" for none). */
    public List<String> sentIds() {
        synchronized (messages) {
            return List.copyOf(sentIds);
        }
    }

    /** The id the next connection would send. */
    public String lastEventId() {
        return lastEventId;
    }

    /** Waits until a message matches; fails with what arrived if none does in time. */
    public Message await(Predicate<Message> match, Duration timeout) throws InterruptedException {
        RingDrain.await(() -> messages().stream().anyMatch(match), timeout);
        List<Message> received = messages();
        return received.stream().filter(match).findFirst().orElseThrow(() -> new AssertionError(
                "no matching message among " + received.size() + " received: " + received));
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
