package io.bpfscope.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One /events stream read line by line on a thread of its own, each data
 * line handed on with the moment it arrived: by the monotonic clock, for
 * the time since something the harness did, and by the wall clock, to set
 * against an event's own "time". The stamp is taken before the listener
 * does any work on a line. HTTP/1.1 on a client of its own, as curl would
 * read it.
 */
final class TimedEventStream implements AutoCloseable {

    /** A data line (without "data: ") and when it arrived. */
    record Arrival(String data, long nanoTime, Instant at) {
    }

    private final HttpClient http;
    private final HttpResponse<Stream<String>> response;
    private final Thread reader;
    private volatile RuntimeException failure;

    private TimedEventStream(HttpClient http, HttpResponse<Stream<String>> response, Consumer<Arrival> listener) {
        this.http = http;
        this.response = response;
        this.reader = Thread.ofPlatform().daemon().name("timed-event-stream").start(() -> read(listener));
    }

    /** Opens {@code path} and returns once the daemon counts it as its only /events client. */
    static TimedEventStream open(DaemonUnderTest daemon, String path, Consumer<Arrival> listener)
            throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<Stream<String>> response;
        try {
            response = http.send(HttpRequest.newBuilder(daemon.uri(path)).build(),
                    HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            http.close();
            throw new UncheckedIOException("GET " + path, e);
        }
        TimedEventStream stream = new TimedEventStream(http, response, listener);
        try {
            if (response.statusCode() != 200) {
                throw new HarnessFailure("GET " + path + " answered " + response.statusCode());
            }
            daemon.awaitClients(1);
            return stream;
        } catch (RuntimeException | InterruptedException e) {
            stream.close();
            throw e;
        }
    }

    private void read(Consumer<Arrival> listener) {
        try (Stream<String> lines = response.body()) {
            lines.forEach(line -> {
                long nanoTime = System.nanoTime();
                Instant at = Instant.now();
                if (line.startsWith("data: ")) {
                    listener.accept(new Arrival(line.substring(6), nanoTime, at));
                }
            });
        } catch (UncheckedIOException ended) {
            // closed by close(), or the daemon went away: whoever waits for events sees them stop
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /**
     * Closes the connection; the daemon drops the client a moment later. A
     * failure of the listener, which stopped the reading, is raised here, so
     * that a run short of events says why.
     */
    @Override
    public void close() throws InterruptedException {
        response.body().close();
        http.shutdownNow();
        reader.join(Duration.ofSeconds(5));
        if (failure != null) {
            throw failure;
        }
    }
}
