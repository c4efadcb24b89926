package io.bpfscope.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.event.EventHub;
import io.bpfscope.eventid.EventIds;
import io.bpfscope.eventid.IdSpace;
import io.bpfscope.filter.PidFilter;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.Scrape;
import io.bpfscope.testing.SseClient;
import io.bpfscope.testing.SseClient.Message;
import io.bpfscope.testing.Writer;
import io.netty.buffer.PooledByteBufAllocator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /events end to end: real programs in the kernel, real readers, a real HTTP client. */
@QuarkusTest
class EventsEndpointTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/events")
    URI events;

    @Inject
    EventHub hub;

    @Inject
    EventIds ids;

    @Inject
    PidFilter filter;

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @AfterEach
    void emptyFilter() {
        filter.clear();
    }

    @Test
    void execsOfTheNodeAreStreamedWithEveryField() throws Exception {
        try (SseClient client = SseClient.connect(URI.create(events + "?type=exec"), Map.of())) {
            Process child = new ProcessBuilder("/bin/true", "x", "y z").start();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

            Message exec = client.await(m -> m.data().path("pid").asLong() == child.pid()
                    && m.data().path("filename").asText().equals("/bin/true"), WAIT);

            assertThat(exec.event()).isEqualTo("exec");
            assertThat(exec.id()).isPositive();
            assertThat(exec.data().path("type").asText()).isEqualTo("exec");
            assertThat(exec.data().path("filename").asText()).isEqualTo("/bin/true");
            assertThat(exec.data().path("argv").toString()).isEqualTo("[\"/bin/true\",\"x\",\"y z\"]");
            assertThat(exec.data().path("ret").asInt()).isZero();
            assertThat(exec.data().path("comm").asText()).isEqualTo("true");
            assertThat(exec.data().path("ppid").asLong()).isEqualTo(ProcessHandle.current().pid());
            assertThat(exec.data().path("time").asText()).endsWith("Z");
            assertThat(client.messages()).allMatch(m -> m.event().equals("exec"));
        }
    }

    @Test
    void writesOfATracedPidAreStreamedOneByOne() throws Exception {
        try (Writer writer = Writer.prepare(1000, 7);
             SseClient client = SseClient.connect(URI.create(events + "?type=write&comm=" + writer.comm()), Map.of())) {
            filter.replace(Set.of(writer.pid()), false, true);
            writer.run();

            List<Message> writes = client.awaitCount(m -> m.event().equals("write"), 1000, WAIT);

            assertThat(writes).allSatisfy(m -> {
                assertThat(m.data().path("pid").asLong()).isEqualTo(writer.pid());
                assertThat(m.data().path("count").asLong()).isEqualTo(7);
                assertThat(m.data().path("fd").asInt()).isEqualTo(1);
            });
            assertThat(writes).extracting(Message::id).isSorted().doesNotHaveDuplicates();
        }
    }

    /**
     * Four clients with one filter (served from shared runs) and four with
     * filters of their own that select the same events (the writer's shell
     * writes once before it runs dd): each gets every event, in order, the
     * same ids. A run buffer not given back keeps its pooled direct memory:
     * five encodings of the stream (~7 MB each) must not stay behind; the
     * bound leaves the pool's own chunks and caches their room
     * (bench/results/2026-12-04-0400-figures-behind-test-bounds.md).
     */
    @Test
    void clientsWatchingTheSameThingEachGetEveryEventAndTheBuffersComeBack() throws Exception {
        int writes = 50_001;
        awaitNoWrites();
        try (Writer writer = Writer.prepare(writes - 1, 1)) {
            List<SseClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    String otherPid = i < 4 ? "" : "&pid=" + (4_194_304 - i);
                    clients.add(SseClient.connect(URI.create(events + "?type=write&pid=" + writer.pid() + otherPid),
                            Map.of()));
                }
                filter.replace(Set.of(writer.pid()), false, true);
                long before = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
                writer.run();

                List<Long> firstIds = null;
                for (SseClient client : clients) {
                    List<Long> ids = awaitWrites(client, writes).stream().map(Message::id).toList();
                    assertThat(ids).isSorted().doesNotHaveDuplicates();
                    assertThat(client.messages()).noneMatch(m -> m.event().equals("lost"));
                    if (firstIds == null) {
                        firstIds = ids;
                    }
                    assertThat(ids).isEqualTo(firstIds);
                }
                assertThat(PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory() - before)
                        .as("pooled direct memory kept after the stream").isLessThan(48L << 20);
            } finally {
                clients.forEach(SseClient::close);
            }
        }
    }

    /**
     * Until the kernel's buffers are empty and no write event has been read for
     * half a second: what an earlier test's writer left in the kernel's
     * buffer would otherwise pass through the ring ahead of this test's
     * clients, and a reader held off the CPU reads nothing for a while
     * without having drained its buffer.
     */
    private void awaitNoWrites() throws InterruptedException {
        String read = "bpfscope_events_total{type=\"write\"}";
        String pending = "bpfscope_buffer_fill_ratio";
        double last = -1;
        for (int look = 0; look < 60; look++) {
            Map<String, Double> metrics = Scrape.of(events.resolve("/q/metrics"));
            double now = metrics.get(read);
            boolean drained = metrics.entrySet().stream()
                    .noneMatch(sample -> sample.getKey().startsWith(pending) && sample.getValue() > 0);
            if (now == last && drained) {
                return;
            }
            last = now;
            Thread.sleep(500);
        }
        throw new AssertionError(read + " still growing or " + pending + " above 0 after 30 s");
    }

    /** All {@code writes} write events; if some never come, the failure says at which stage they were lost. */
    private List<Message> awaitWrites(SseClient client, int writes) throws InterruptedException {
        try {
            return client.awaitCount(m -> m.event().equals("write"), writes, WAIT);
        } catch (AssertionError e) {
            Map<String, Double> metrics = Scrape.of(events.resolve("/q/metrics"));
            throw new AssertionError("lost so far by stage: " + Stream.of("kernel", "reader", "client")
                    .map(stage -> stage + " " + metrics.get("bpfscope_events_lost_total{stage=\"" + stage + "\"}"))
                    .toList() + "; events read by type: " + Stream.of("exec", "exit", "write")
                    .map(type -> type + " " + metrics.get("bpfscope_events_total{type=\"" + type + "\"}")).toList(), e);
        }
    }

    @Test
    void lastEventIdResumesRightAfterIt() throws Exception {
        long resumeAfter;
        try (SseClient first = SseClient.connect(URI.create(events + "?type=exec"), Map.of())) {
            Process child = new ProcessBuilder("/bin/true", "first").start();
            child.waitFor();
            resumeAfter = first.await(m -> m.data().path("pid").asLong() == child.pid(), WAIT).id();
        }
        Process missed = new ProcessBuilder("/bin/true", "while-away").start();
        missed.waitFor();

        try (SseClient again = SseClient.connect(URI.create(events + "?type=exec"),
                Map.of("Last-Event-ID", Long.toString(resumeAfter)))) {
            Message replayed = again.await(m -> m.data().path("pid").asLong() == missed.pid(), WAIT);

            assertThat(replayed.id()).isGreaterThan(resumeAfter);
            assertThat(again.messages()).allMatch(m -> m.id() > resumeAfter);
        }
    }

    @Test
    void aResumePointOlderThanTheReplayRingIsALostMessageNamingTheGap() throws Exception {
        // Until the ring has wrapped: under load the kernel may drop some records (counted), so
        // one writer of a ring's worth of writes is not always enough.
        while (hub.nextSeq() <= hub.capacity() + 1) {
            try (Writer writer = Writer.prepare(hub.capacity(), 1)) {
                filter.replace(Set.of(writer.pid()), false, true);
                writer.run();
            }
        }
        long goneBefore = hub.nextSeq() - hub.capacity();
        IdSpace space = ids.space();
        // The position before this instance's first event: everything from it on is asked for.
        try (SseClient client = SseClient.connect(URI.create(events + "?lastEventId=" + space.id(0)), Map.of())) {
            Message lost = client.await(m -> m.event().equals("lost"), WAIT);

            assertThat(client.messages().getFirst()).isEqualTo(lost);
            assertThat(lost.data().path("stage").asText()).isEqualTo("client");
            assertThat(lost.data().path("reason").asText()).isEqualTo("overwritten");
            assertThat(lost.data().path("fromId").asLong()).isEqualTo(space.id(1));
            long count = lost.data().path("count").asLong();
            assertThat(count).isGreaterThanOrEqualTo(goneBefore - 1);
            assertThat(lost.data().path("toId").asLong()).isEqualTo(space.id(count));
            assertThat(lost.id()).isEqualTo(space.id(count));
        }
    }

    @Test
    void aClientThatStopsReadingLosesOnlyItsOwnEvents() throws Exception {
        long lostBefore = hub.lostBySubscribers();
        // Bursts of half the ring: a client that reads keeps up with each, while one that
        // reads nothing is more than the whole ring behind after three.
        int burst = hub.capacity() / 2;
        List<Writer> writers = List.of(Writer.prepare(burst, 1), Writer.prepare(burst, 1), Writer.prepare(burst, 1));
        String query = "?type=write" + writers.stream().map(w -> "&pid=" + w.pid()).reduce("", String::concat);
        try (Socket stalled = new Socket(events.getHost(), events.getPort());
             SseClient reader = SseClient.connect(URI.create(events + query), Map.of())) {
            OutputStream request = stalled.getOutputStream();
            request.write(("GET /events" + query + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            request.flush();
            Thread.sleep(200);

            for (int round = 1; round <= writers.size(); round++) {
                Writer writer = writers.get(round - 1);
                filter.replace(Set.of(writer.pid()), false, true);
                writer.run();
                reader.awaitCount(m -> m.event().equals("write") && m.data().path("comm").asText().startsWith("bpfsw"),
                        round * burst, WAIT);
            }

            assertThat(reader.messages()).noneMatch(m -> m.event().equals("lost"));
            String stalledSaw = readFor(stalled.getInputStream(), "event: lost");
            assertThat(stalledSaw).startsWith("event: lost");
            assertThat(hub.lostBySubscribers()).isGreaterThan(lostBefore);
        } finally {
            for (Writer writer : writers) {
                writer.close();
            }
        }
    }

    @Test
    void idleStreamsGetHeartbeatComments() throws Exception {
        try (Socket socket = new Socket(events.getHost(), events.getPort())) {
            OutputStream request = socket.getOutputStream();
            // A filter nothing matches: the stream stays idle but for heartbeats.
            request.write("GET /events?comm=no-such-comm HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            request.flush();

            assertThat(readFor(socket.getInputStream(), ": heartbeat")).startsWith(": heartbeat");
        }
    }

    /**
     * Heartbeats keep coming every heartbeat (300 ms in tests) on a stream
     * whose filter lets nothing through, while events pass by: the HTTP
     * server closes a connection silent for its idle timeout.
     */
    @Test
    void heartbeatsKeepTheirPaceWhileEventsTheFilterDropsPassBy() throws Exception {
        try (Socket socket = new Socket(events.getHost(), events.getPort());
             Writer writer = Writer.prepare(2_000_000, 1)) {
            socket.setSoTimeout(5_000);
            filter.replace(Set.of(writer.pid()), false, true);
            socket.getOutputStream().write("GET /events?comm=no-such-comm HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            writer.release();
            InputStream in = socket.getInputStream();
            List<Long> heartbeats = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            byte[] buffer = new byte[4096];
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < end) {
                int n = in.read(buffer);
                assertThat(n).as("stream still open").isPositive();
                text.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
                int at;
                while ((at = text.indexOf(": heartbeat")) >= 0) {
                    heartbeats.add(System.nanoTime());
                    text.delete(0, at + 1);
                }
            }
            assertThat(heartbeats).as("heartbeats in 3 s").hasSizeGreaterThanOrEqualTo(6);
            for (int i = 1; i < heartbeats.size(); i++) {
                assertThat(TimeUnit.NANOSECONDS.toMillis(heartbeats.get(i) - heartbeats.get(i - 1)))
                        .as("ms between heartbeats").isLessThan(500);
            }
        }
    }

    @Test
    void badQueriesAreProblems() throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(events + "?pid=-4")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"field\":\"pid\"", "pid must be a positive integer, not '-4'");
    }

    /** Reads a stalled connection until {@code marker} shows up (or 30 s pass); returns the tail it read. */
    private static String readFor(InputStream in, String marker) throws Exception {
        StringBuilder seen = new StringBuilder();
        byte[] buffer = new byte[1 << 16];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            int found = seen.indexOf(marker);
            if (found >= 0) {
                return seen.substring(found);
            }
            // Keep only what a marker cut in two could start with.
            seen.delete(0, Math.max(0, seen.length() - marker.length()));
        }
        return seen.toString();
    }
}
