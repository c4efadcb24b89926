package io.bpfscope.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfscope.filter.PidFilter;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.RingDrain;
import io.bpfscope.testing.SseClient;
import io.bpfscope.testing.Writer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /filters/pids against the real kernel map: what the API says is what the map holds. */
@QuarkusTest
class FilterResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/filters/pids")
    URI filters;

    @TestHTTPResource("/events")
    URI events;

    @Inject
    PidFilter filter;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @AfterEach
    void clear() throws Exception {
        send("DELETE", filters, null);
    }

    @Test
    void addedPidIsInTheKernelMapAndItsWritesAreStreamed() throws Exception {
        try (Writer writer = Writer.prepare(100, 3);
             SseClient client = SseClient.connect(URI.create(events + "?type=write&comm=" + writer.comm()), Map.of())) {
            HttpResponse<String> added = send("POST", filters, "{\"pid\":" + writer.pid() + "}");

            assertThat(added.statusCode()).isEqualTo(200);
            JsonNode state = JSON.readTree(added.body());
            assertThat(state.path("pids").toString()).isEqualTo("[" + writer.pid() + "]");
            assertThat(filter.kernelPids()).containsExactly(writer.pid());

            writer.run();
            client.awaitCount(m -> m.event().equals("write"), 100, Duration.ofSeconds(20));

            // The writer has exited: its PID leaves the set by itself (see aTracedProcessThatExitsLeavesTheFilter).
            RingDrain.await(() -> filter.kernelPids().isEmpty(), Duration.ofSeconds(10));
            assertThat(filter.kernelPids()).isEmpty();
            assertThat(filter.state().generation()).isEqualTo(state.path("generation").asLong() + 1);
        }
    }

    @Test
    void putReplacesTheWholeSetAndDuplicatesCountOnce() throws Exception {
        long self = ProcessHandle.current().pid();
        HttpResponse<String> put = send("PUT", filters, "{\"pids\":[" + self + ",1," + self + "],\"followChildren\":false}");

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(put.body()).path("pids").toString()).isEqualTo("[1," + self + "]");
        assertThat(filter.kernelPids()).containsExactlyInAnyOrder(1, (int) self);
        assertThat(JSON.readTree(send("GET", filters, null).body()).path("pids").toString())
                .isEqualTo("[1," + self + "]");
    }

    @Test
    void badRequestsAreProblemsAndChangeNothing() throws Exception {
        send("PUT", filters, "{\"pids\":[1]}");
        Map<String, Integer> cases = Map.of(
                "{\"pid\":\"12\"}", 400,
                "{\"pid\":1.5}", 400,
                "{\"pid\":0}", 422,
                "{\"pid\":99999999}", 422,
                "{}", 400,
                "[1]", 400,
                "not json", 400,
                "{\"pid\":1,\"extra\":true}", 400);
        for (Map.Entry<String, Integer> bad : cases.entrySet()) {
            HttpResponse<String> response = send("POST", filters, bad.getKey());

            assertThat(response.statusCode()).as(bad.getKey()).isEqualTo(bad.getValue());
            assertThat(response.headers().firstValue("content-type")).as(bad.getKey())
                    .hasValue(Problem.MEDIA_TYPE);
            assertThat(JSON.readTree(response.body()).path("detail").asText()).as(bad.getKey()).isNotBlank();
        }
        assertThat(send("DELETE", URI.create(filters + "/4242"), null).statusCode()).isEqualTo(404);
        assertThat(send("PUT", filters, "{\"pids\":[1,\"2\"]}").statusCode()).isEqualTo(400);
        assertThat(send("PUT", filters, "{\"pids\":[1],\"followChildren\":\"yes\"}").statusCode()).isEqualTo(400);

        assertThat(filter.kernelPids()).isEqualTo(Set.of(1));
        assertThat(filter.state().pids()).containsExactly(1);
    }

    @Test
    void tooManyPidsAndOversizedBodiesAreRefused() throws Exception {
        StringBuilder many = new StringBuilder("{\"pids\":[");
        for (int pid = 1; pid <= 4097; pid++) {
            many.append(pid == 1 ? "" : ",").append(pid);
        }
        HttpResponse<String> tooMany = send("PUT", URI.create(filters + "?allowMissing=true"), many.append("]}").toString());
        assertThat(tooMany.statusCode()).isEqualTo(422);
        assertThat(tooMany.body()).contains("at most 4096 PIDs");

        assertThat(oversizedPutStatus()).startsWith("HTTP/1.1 413");
        assertThat(filter.kernelPids()).isEmpty();
    }

    @Test
    void writesStopBeingStreamedOnceThePidIsRemoved() throws Exception {
        Process shell = new ProcessBuilder("/bin/sh", "-c", "while read line; do echo \"$line\"; done").start();
        try (SseClient client = SseClient.connect(URI.create(events + "?type=write&pid=" + shell.pid()), Map.of())) {
            send("POST", filters, "{\"pid\":" + shell.pid() + "}");
            shell.getOutputStream().write("one\n".getBytes());
            shell.getOutputStream().flush();
            client.awaitCount(m -> true, 1, Duration.ofSeconds(20));

            send("DELETE", URI.create(filters + "/" + shell.pid()), null);
            shell.getOutputStream().write("two\nthree\n".getBytes());
            shell.getOutputStream().flush();
            // Wait until the shell has echoed both lines, then give the stream time to deliver.
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(shell.getInputStream()));
            assertThat(out.readLine()).isEqualTo("one");
            assertThat(out.readLine()).isEqualTo("two");
            assertThat(out.readLine()).isEqualTo("three");
            Thread.sleep(300);

            assertThat(client.messages()).hasSize(1);
        } finally {
            shell.destroy();
        }
    }

    @Test
    void aWrongContentTypeOrMethodIsAProblemToo() throws Exception {
        HttpResponse<String> text = http.send(HttpRequest.newBuilder(filters)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{\"pid\":1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(text.headers().firstValue("content-type")).hasValue(Problem.MEDIA_TYPE);
        assertThat(JSON.readTree(text.body()).path("status").asInt()).isEqualTo(415);

        HttpResponse<String> patch = send("PATCH", filters, "{}");
        assertThat(patch.statusCode()).isEqualTo(405);
        assertThat(patch.headers().firstValue("content-type")).hasValue(Problem.MEDIA_TYPE);
        assertThat(filter.kernelPids()).isEmpty();
    }

    @Test
    void missingProcessesAreRefusedUnlessAllowed() throws Exception {
        int unused = 32_000;
        while (java.nio.file.Files.exists(java.nio.file.Path.of("/proc/" + unused))) {
            unused--;
        }
        assertThat(send("POST", filters, "{\"pid\":" + unused + "}").statusCode()).isEqualTo(422);
        assertThat(send("POST", URI.create(filters + "?allowMissing=true"), "{\"pid\":" + unused + "}").statusCode())
                .isEqualTo(200);
        assertThat(filter.kernelPids()).containsExactly(unused);
    }

    @Test
    void followedChildrenAreTracedFromForkAndLeaveAtExit() throws Exception {
        // A shell that waits, then forks a child that writes and lives a while.
        Process shell = new ProcessBuilder("/bin/sh", "-c", "read go; sleep 30 & echo $!; wait").start();
        try (SseClient client = SseClient.connect(URI.create(events + "?type=write"), Map.of())) {
            HttpResponse<String> put = send("PUT", filters, "{\"pids\":[" + shell.pid() + "],\"followChildren\":true}");
            assertThat(put.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(put.body()).path("followChildren").asBoolean()).isTrue();

            shell.getOutputStream().write('\n');
            shell.getOutputStream().flush();
            int child = Integer.parseInt(new java.io.BufferedReader(
                    new java.io.InputStreamReader(shell.getInputStream())).readLine().strip());

            JsonNode state = JSON.readTree(send("GET", filters, null).body());
            assertThat(state.path("pids").toString()).contains(Integer.toString(child));
            assertThat(filter.state().pids()).contains(child, (int) shell.pid());
            // The shell's own write of the child's PID was streamed: it was traced all along.
            client.await(m -> m.data().path("pid").asLong() == shell.pid(), Duration.ofSeconds(20));

            assertThat(send("DELETE", URI.create(filters + "/" + child), null).statusCode()).isEqualTo(200);
            assertThat(filter.state().pids()).doesNotContain(child).contains((int) shell.pid());

            HttpResponse<String> off = send("PUT", filters, "{\"pids\":[" + shell.pid() + "]}");
            assertThat(JSON.readTree(off.body()).path("followChildren").asBoolean()).isFalse();
        } finally {
            shell.destroy();
            ProcessHandle.of(shell.pid()).ifPresent(ProcessHandle::destroy);
        }
    }

    @Test
    void aForkedChildLeavesTheSetWhenItExits() throws Exception {
        Process shell = new ProcessBuilder("/bin/sh", "-c", "read go; sleep 0.5 & echo $!; wait; read done").start();
        try {
            send("PUT", filters, "{\"pids\":[" + shell.pid() + "],\"followChildren\":true}");
            shell.getOutputStream().write('\n');
            shell.getOutputStream().flush();
            int child = Integer.parseInt(new java.io.BufferedReader(
                    new java.io.InputStreamReader(shell.getInputStream())).readLine().strip());
            assertThat(filter.state().pids()).contains(child);

            RingDrain.await(() -> !filter.state().pids().contains(child), Duration.ofSeconds(10));
            assertThat(filter.state().pids()).doesNotContain(child).contains((int) shell.pid());
        } finally {
            shell.destroy();
        }
    }

    @Test
    void aTracedProcessThatExitsLeavesTheFilter() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "120").start();
        long exitedBefore = filter.exited();
        assertThat(send("POST", filters, "{\"pid\":" + sleeper.pid() + "}").statusCode()).isEqualTo(200);

        sleeper.destroy();
        sleeper.waitFor();

        RingDrain.await(() -> filter.state().pids().isEmpty(), Duration.ofSeconds(10));
        assertThat(filter.state().pids()).isEmpty();
        assertThat(filter.kernelPids()).isEmpty();
        assertThat(filter.exited()).isEqualTo(exitedBefore + 1);
    }

    @Test
    void fiftyConcurrentClientsLeaveTheMapEqualToTheApiState() throws Exception {
        // Live PIDs to play with: this JVM's and its ancestors', which exist for the whole test.
        List<Integer> live = new ArrayList<>();
        for (ProcessHandle p = ProcessHandle.current(); p != null && live.size() < 5; p = p.parent().orElse(null)) {
            live.add((int) p.pid());
        }
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 50; c++) {
            int client = c;
            clients.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 40; i++) {
                    int pid = live.get((client + i) % live.size());
                    try {
                        if ((client + i) % 3 == 0) {
                            send("DELETE", URI.create(filters + "/" + pid), null);
                        } else {
                            send("POST", filters, "{\"pid\":" + pid + "}");
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }));
        }
        for (Thread client : clients) {
            client.join();
        }

        JsonNode state = JSON.readTree(send("GET", filters, null).body());
        Set<Integer> reported = new java.util.TreeSet<>();
        state.path("pids").forEach(pid -> reported.add(pid.asInt()));
        assertThat(filter.kernelPids()).isEqualTo(reported);
    }

    @Test
    void aThousandMalformedRequestsGetNoServerErrorAndChangeNothing() throws Exception {
        send("PUT", filters, "{\"pids\":[1]}");
        java.util.Random random = new java.util.Random(20261121);
        String[] fragments = {"{", "}", "[", "]", "\"pid\"", "\"pids\"", ":", ",", "-1", "0", "1e9", "null", "true",
            "\"x\"", "4194304", "2147483648", "1.0", "\u0000", "\\", "{\"pid\":", "\"followChildren\":", "{\"pids\":["};
        String[] methods = {"POST", "PUT", "DELETE", "POST"};
        String[] paths = {"", "/", "/abc", "/-1", "/0", "/99999999999", "/1/2", "?allowMissing=maybe"};
        for (int i = 0; i < 1000; i++) {
            StringBuilder body = new StringBuilder();
            for (int f = random.nextInt(8); f >= 0; f--) {
                body.append(fragments[random.nextInt(fragments.length)]);
            }
            String method = methods[random.nextInt(methods.length)];
            String path = method.equals("DELETE") ? paths[1 + random.nextInt(paths.length - 2)] : paths[random.nextInt(paths.length)];
            if (body.toString().equals("{\"pids\":[1]}")) {
                continue;
            }
            HttpResponse<String> response = send(method, URI.create(filters + path), body.toString());

            assertThat(response.statusCode()).as("%s %s %s -> %s", method, path, body, response.body()).isBetween(400, 499);
        }
        assertThat(filter.kernelPids()).containsExactly(1);
        assertThat(send("GET", filters, null).statusCode()).isEqualTo(200);
    }

    /**
     * The status line answered to a PUT announcing a 1 MB body. A raw socket,
     * because the server may answer and close before the body is sent, which
     * an HTTP client reports as a failure of its own.
     */
    private String oversizedPutStatus() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(filters.getHost(), filters.getPort())) {
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("PUT " + filters.getPath() + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000000\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            try {
                out.write(new byte[300_000]);
                out.flush();
            } catch (java.io.IOException closedEarly) {
                // the server answered before taking the body
            }
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        }
    }

    private HttpResponse<String> send(String method, URI uri, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
