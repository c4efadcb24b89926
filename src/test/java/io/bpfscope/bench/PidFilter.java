package io.bpfscope.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The daemon's PID filter changed over HTTP/1.1 on one client kept for
 * every change, so that timing a change times the daemon's work and not a
 * client being set up (a new client starts threads of its own). The
 * client's first request, which loads its classes and opens its
 * connection, is a GET of the filter made at once.
 */
final class PidFilter implements AutoCloseable {

    private final DaemonUnderTest daemon;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    PidFilter(DaemonUnderTest daemon) {
        this.daemon = daemon;
        send(HttpRequest.newBuilder(daemon.uri("/filters/pids")).GET());
    }

    /** POST /filters/pids, which must answer 200. */
    void add(long pid) {
        send(HttpRequest.newBuilder(daemon.uri("/filters/pids")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"pid\":" + pid + "}")));
    }

    /** DELETE /filters/pids/PID, which must answer 200. */
    void remove(long pid) {
        send(HttpRequest.newBuilder(daemon.uri("/filters/pids/" + pid)).DELETE());
    }

    private void send(HttpRequest.Builder builder) {
        HttpRequest request = builder.timeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new HarnessFailure(request.method() + " " + request.uri().getPath() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessFailure("interrupted at " + request.method() + " " + request.uri().getPath());
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
