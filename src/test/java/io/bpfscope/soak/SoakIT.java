package io.bpfscope.soak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.RingDrain;
import io.bpfscope.testing.Scrape;
import io.bpfscope.testing.SseClient;
import io.bpfscope.testing.Writer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short variant of `bench/harness soak`: the packaged daemon streams every write
 * of a traced writer at full speed while 32 {@code /events?type=exec}
 * clients stay connected and a marked exec runs every 20 ms. Afterwards the
 * counts are exact, every marked exec reached every client or the client
 * was told it lost it, and the live heap is what it was before the load
 * plus at most the hub's ring, now full of write events.
 */
class SoakIT {

    private static final int CLIENTS = 32;
    private static final int WRITES = 8_000_000;
    /** The ring holds at most bpfscope.events.replay-memory (16 MiB) of events. */
    private static final long RING_BYTES = 16L << 20;
    /** What else a collection may leave: class metadata is not heap, but caches warmed by the load are. */
    private static final long MARGIN_BYTES = 8L << 20;
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    void underLoadCountsStayExactEveryMissedExecIsToldAndTheLiveHeapComesBack() throws Exception {
        Kernel.requireRoot();
        String marker = "soak-it-" + Long.toHexString(System.nanoTime());
        try (Daemon daemon = Daemon.start(List.of(), dir.resolve("state"), "-Dbpfscope.write.max-series=8192");
             Writer writer = Writer.prepare(WRITES, 1)) {
            daemon.awaitListening(Duration.ofSeconds(30));
            URI metrics = uri(daemon, "/q/metrics");
            List<SseClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(SseClient.connect(uri(daemon, "/events?type=exec"), Map.of()));
                }
                awaitMetric(metrics, "bpfscope_sse_clients", CLIENTS);
                daemon.trace(writer.pid());
                long liveBefore = LiveHeap.afterFullGc(daemon.process().pid());
                Map<String, Double> before = Scrape.of(metrics);

                int execs;
                try (MarkedExecs marked = MarkedExecs.start(marker, Duration.ofMillis(20))) {
                    writer.run();
                    execs = marked.stop();
                }

                // The shell's one write before it execs dd is traced too (its PID is dd's).
                long traced = WRITES + 1L;
                String streamed = "bpfscope_events_total{type=\"write\"}";
                String lostInKernel = "bpfscope_events_lost_total{stage=\"kernel\"}";
                RingDrain.await(() -> growth(before, Scrape.of(metrics), streamed, lostInKernel) >= traced, PATIENCE);
                Map<String, Double> after = Scrape.of(metrics);
                assertThat(growth(before, after, "bpfscope_write_syscalls_total" + Scrape.onHost(writer.comm())))
                        .as("writes counted in the kernel").isEqualTo(WRITES);
                assertThat(growth(before, after, streamed, lostInKernel)).as("writes streamed + lost in the kernel").isEqualTo(traced);
                assertThat(growth(before, after, "bpfscope_events_lost_total{stage=\"reader\"}")).as("lost by the reader").isZero();

                RingDrain.await(() -> untold(clients, marker, execs).isEmpty(), PATIENCE);
                assertThat(untold(clients, marker, execs)).as("per client, the marked execs (of %d) it missed without a lost "
                        + "message", execs).isEmpty();
                String lostByClients = "bpfscope_events_lost_total{stage=\"client\"}";
                RingDrain.await(() -> told(clients, marker) == growth(before, Scrape.of(metrics), lostByClients), PATIENCE);
                assertThat(told(clients, marker)).as("events the clients were told they lost")
                        .isEqualTo(growth(before, Scrape.of(metrics), lostByClients));
                assertThat(Scrape.of(metrics).get("bpfscope_sse_clients")).as("clients still connected").isEqualTo((double) CLIENTS);

                long liveAfter = LiveHeap.afterFullGc(daemon.process().pid());
                assertThat(liveAfter - liveBefore).as("live heap growth over %d streamed writes (before: %d bytes)",
                        WRITES, liveBefore).isLessThan(RING_BYTES + MARGIN_BYTES);
            } finally {
                clients.forEach(SseClient::close);
            }
            Set<Long> programs = Kernel.programIdsHeldBy(daemon.process().pid());
            assertThat(daemon.terminate(Duration.ofSeconds(15))).as("exit status after SIGTERM").isZero();
            Kernel.assertUnloaded(programs);
        }
    }

    /** What one client received of the marked execs, and the gaps it was told of. */
    private record ClientView(Map<Integer, Long> execIds, List<long[]> gaps, long lostTold) {

        static ClientView of(SseClient client, String marker) {
            Map<Integer, Long> execIds = new TreeMap<>();
            List<long[]> gaps = new ArrayList<>();
            long told = 0;
            for (SseClient.Message message : client.messages()) {
                JsonNode data = message.data();
                if (message.event().equals("lost")) {
                    // Kernel losses are told too; the gaps of this client's own are those of stage client.
                    if (data.path("stage").asText().equals("client")) {
                        gaps.add(new long[] {data.path("fromId").asLong(), data.path("toId").asLong()});
                        told += data.path("count").asLong();
                    }
                } else if (data.path("argv").path(1).asText().equals(marker)) {
                    execIds.put(data.path("argv").path(2).asInt(), message.id());
                }
            }
            return new ClientView(execIds, gaps, told);
        }

        /**
         * Execs this client neither received nor was told of: for one whose
         * id another client saw, a gap must hold that id; for one no client
         * received, a gap must overlap the ids between its neighbours.
         */
        List<Integer> missedUntold(int execs, Map<Integer, Long> known) {
            List<Integer> untold = new ArrayList<>();
            for (int i = 0; i < execs; i++) {
                if (execIds.containsKey(i)) {
                    continue;
                }
                Long id = known.get(i);
                long low = id != null ? id : lowerId(known, i);
                long high = id != null ? id : higherId(known, i);
                if (gaps.stream().noneMatch(gap -> gap[0] <= high && gap[1] >= low)) {
                    untold.add(i);
                }
            }
            return untold;
        }

        private static long lowerId(Map<Integer, Long> known, int i) {
            return known.entrySet().stream().filter(e -> e.getKey() < i).mapToLong(Map.Entry::getValue).max().orElse(0);
        }

        private static long higherId(Map<Integer, Long> known, int i) {
            return known.entrySet().stream().filter(e -> e.getKey() > i).mapToLong(Map.Entry::getValue).min().orElse(Long.MAX_VALUE);
        }
    }

    /** Per client (by index), the marked execs it missed without being told; clients that missed none are left out. */
    private static Map<Integer, List<Integer>> untold(List<SseClient> clients, String marker, int execs) {
        List<ClientView> views = clients.stream().map(client -> ClientView.of(client, marker)).toList();
        Map<Integer, Long> known = new TreeMap<>();
        views.forEach(view -> known.putAll(view.execIds()));
        Map<Integer, List<Integer>> untold = new TreeMap<>();
        for (int c = 0; c < views.size(); c++) {
            List<Integer> missed = views.get(c).missedUntold(execs, known);
            if (!missed.isEmpty()) {
                untold.put(c, missed);
            }
        }
        return untold;
    }

    private static long told(List<SseClient> clients, String marker) {
        return clients.stream().mapToLong(client -> ClientView.of(client, marker).lostTold()).sum();
    }

    private static long growth(Map<String, Double> before, Map<String, Double> after, String... series) {
        long sum = 0;
        for (String name : series) {
            sum += Math.round(after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0));
        }
        return sum;
    }

    private static void awaitMetric(URI metrics, String series, double value) throws InterruptedException {
        RingDrain.await(() -> Double.valueOf(value).equals(Scrape.of(metrics).get(series)), PATIENCE);
        assertThat(Scrape.of(metrics).get(series)).as(series).isEqualTo(value);
    }

    private static URI uri(Daemon daemon, String path) {
        return URI.create("http://127.0.0.1:" + daemon.port() + path);
    }
}
