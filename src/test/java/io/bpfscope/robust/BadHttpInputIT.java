package io.bpfscope.robust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.ProcessStats;
import io.bpfscope.testing.RawHttp;
import io.bpfscope.testing.Scrape;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests no client should send, on a bare socket to the packaged daemon:
 * each is answered with the 4xx it deserves (an RFC 9457 problem wherever
 * the application answers rather than the HTTP decoder), none with a 5xx,
 * none changes the filter, and the daemon keeps serving with what it held.
 */
class BadHttpInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One bad request: what it is, its bytes, the status it gets, whether the body is a problem. */
    record Case(String name, byte[] request, int status, boolean problem) {
        @Override
        public String toString() {
            return name;
        }
    }

    @TempDir
    static Path state;
    private static Daemon daemon;

    @BeforeAll
    static void start() throws Exception {
        Kernel.requireRoot();
        daemon = Daemon.listening(state);
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    @AfterEach
    void stillServingAndTheFilterUntouched() throws Exception {
        Scrape.assertServing(daemon);
        HttpResponse<String> filter = Scrape.get(daemon.uri("/filters/pids"));
        assertThat(filter.statusCode()).as("GET /filters/pids").isEqualTo(200);
        assertThat(JSON.readTree(filter.body()).path("generation").asLong()).as("filter changes").isZero();
    }

    static Stream<Case> cases() {
        String huge = "a".repeat(100_000);
        StringBuilder manyHeaders = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            manyHeaders.append("X-H").append(i).append(": v\r\n");
        }
        return Stream.of(
                // Limits of the HTTP decoder: no body, the application never sees these.
                new Case("a 100 kB header", get("/q/health/ready", "X-Big: " + huge + "\r\n"), 431, false),
                new Case("5,000 headers", get("/q/health/ready", manyHeaders.toString()), 431, false),
                new Case("a 100 kB request line", get("/q/health/ready?" + huge, ""), 414, false),
                new Case("a request line of garbage", latin1("\u0000\u0001 garbage\r\n\r\n"), 400, false),
                new Case("a Content-Length that is no number", latin1("POST /filters/pids HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Length: many\r\nConnection: close\r\n\r\n"), 400, false),
                // Not UTF-8 in the request target: raw bytes (not even ASCII) or percent-encoded.
                new Case("raw 0xFF 0xFE in the path", get("/filters/pids/\u00ff\u00fe", ""), 400, true),
                new Case("%FF%FE in the path", delete("/filters/pids/%ff%fe"), 400, true),
                new Case("%FF%FE in a query value of /events", get("/events?comm=%ff%fe", ""), 400, true),
                new Case("raw 0xFF in a query value of /events", get("/events?comm=\u00ff", ""), 400, true),
                new Case("%FF as a query name", get("/events?%ff=1", ""), 400, true),
                new Case("an encoded surrogate in the query", get("/events?comm=%ed%a0%80", ""), 400, true),
                new Case("%FF as allowMissing", post("/filters/pids?allowMissing=%ff", "{\"pid\":1}"), 400, true),
                new Case("yes as allowMissing", post("/filters/pids?allowMissing=yes", "{\"pid\":1}"), 400, true),
                // Bodies that are not one JSON object in UTF-8.
                new Case("0xFF 0xFE in a JSON string", post("/filters/pids", "{\"pid\":\"\u00ff\u00fe\"}"), 400, true),
                new Case("0xFF 0xFE as a field name", put("{\"\u00ff\u00fe\":[1]}"), 400, true),
                new Case("an overlong '{' (C1 BB)", put("\u00c1\u00bb\"pids\":[1]}"), 400, true),
                new Case("0xFF after the object", post("/filters/pids?allowMissing=true", "{\"pid\":1}\u00ff"), 400, true),
                new Case("garbage after the object", post("/filters/pids?allowMissing=true", "{\"pid\":1} x"), 400, true),
                new Case("a second object", post("/filters/pids?allowMissing=true", "{\"pid\":1}{\"pid\":2}"), 400, true),
                new Case("a field twice", put("{\"pids\":[1],\"pids\":[2]}"), 400, true),
                // Paths and methods nobody serves.
                new Case("an unknown path", get("/nope", ""), 404, true),
                new Case("an unknown path under /q", get("/q/nope", ""), 404, true),
                new Case("a path below /events", get("/events/x", ""), 404, true),
                new Case("BREW /filters/pids", request("BREW", "/filters/pids", ""), 405, true),
                new Case("PATCH /filters/pids", request("PATCH", "/filters/pids", ""), 405, true),
                new Case("GET /filters/pids/1", get("/filters/pids/1", ""), 405, true),
                new Case("POST /events", request("POST", "/events", ""), 405, true),
                new Case("DELETE /q/metrics", request("DELETE", "/q/metrics", ""), 405, true),
                new Case("PUT /metrics", request("PUT", "/metrics", ""), 405, true),
                new Case("POST /q/health/ready", request("POST", "/q/health/ready", ""), 405, true));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void isRefusedWithTheRightClientError(Case bad) throws Exception {
        RawHttp.Response response = RawHttp.exchange(daemon.port(), bad.request());

        assertThat(response.status()).as("status of %s; body %s", bad, response.text()).isEqualTo(bad.status());
        if (bad.problem()) {
            assertThat(response.header("content-type")).as("content type of %s", bad).isEqualTo("application/problem+json");
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.path("status").asInt()).isEqualTo(bad.status());
            assertThat(problem.path("detail").asText()).isNotBlank();
        }
        if (bad.status() == 405 && !bad.name().contains("/filters/")) {
            assertThat(response.header("allow")).as("Allow of %s", bad).isEqualTo("GET, HEAD");
        }
    }

    /** Where a 405 says "Allow: GET, HEAD", HEAD is answered as GET would be, without the body. */
    @ParameterizedTest
    @ValueSource(strings = {"/events", "/metrics", "/q/metrics", "/q/health/ready"})
    void headIsAnsweredWhereGetIs(String path) throws Exception {
        HttpResponse<String> head = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(daemon.uri(path)).HEAD().timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aThousandBadRequestsLeaveNoDescriptorOrThreadBehind() {
        List<Case> all = cases().toList();
        // One round first: what a daemon creates once (worker threads, pooled buffers) is not a leak.
        all.forEach(bad -> RawHttp.exchange(daemon.port(), bad.request()));
        ProcessStats before = ProcessStats.of(daemon.process().pid());

        for (int round = 0; round < 1000 / all.size() + 1; round++) {
            all.forEach(bad -> assertThat(RawHttp.exchange(daemon.port(), bad.request()).status()).isBetween(400, 499));
        }

        ProcessStats after = ProcessStats.of(daemon.process().pid());
        // A descriptor or thread kept per request would be a thousand; the slack is the JVM's own.
        assertThat(after.fds()).as("open descriptors, before: %s", before).isLessThanOrEqualTo(before.fds() + 4);
        assertThat(after.threads()).as("threads, before: %s", before).isLessThanOrEqualTo(before.threads() + 8);
    }

    private static byte[] get(String target, String headers) {
        return request("GET", target, headers);
    }

    private static byte[] delete(String target) {
        return request("DELETE", target, "");
    }

    private static byte[] request(String method, String target, String headers) {
        return latin1(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Connection: close\r\n\r\n");
    }

    private static byte[] put(String body) {
        return withBody("PUT", "/filters/pids?allowMissing=true", body);
    }

    private static byte[] post(String target, String body) {
        return withBody("POST", target, body);
    }

    /** {@code body}'s characters as bytes (U+0000 to U+00FF), so any byte can be written as a character. */
    private static byte[] withBody(String method, String target, String body) {
        byte[] bytes = latin1(body);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(latin1(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n"));
        request.writeBytes(bytes);
        return request.toByteArray();
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
