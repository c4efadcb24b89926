package io.bpfscope.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.RingDrain;
import io.bpfscope.testing.Scrape;
import io.bpfscope.testing.SseClient;
import io.bpfscope.testing.SseClient.Message;
import io.bpfscope.testing.Writer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged daemon with a write buffer of one page, which a traced dd
 * overflows: a client following that writer is told of every write the
 * kernel dropped, in {@code lost} messages among the writes it gets, so the
 * writes it received and the counts it was told add up to what dd wrote;
 * the export's file says the same in its lines, and the metric agrees. In
 * both buffer modes.
 */
class KernelLossesToldIT {

    private static final int WRITES = 300_000;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ringbuf", "perf"})
    void receivedPlusToldEqualsWritten(String buffer, @TempDir Path exportDir) throws Exception {
        Path export = exportDir.resolve("events.log");
        try (Daemon daemon = Daemon.start("-Dbpfscope.write.buffer-bytes=4096", "-Dbpfscope.buffer=" + buffer,
                "-Dbpfscope.export.file=" + export, "-Dbpfscope.export.types=write");
                Writer writer = Writer.prepare(WRITES, 1)) {
            daemon.awaitListening(Duration.ofSeconds(30));
            daemon.trace(writer.pid());
            Map<String, Double> before = Scrape.of(daemon.uri("/q/metrics"));
            try (SseClient client = SseClient.connect(daemon.uri("/events?type=write&pid=" + writer.pid()), Map.of())) {
                writer.run();
                // dd's writes and the one its shell made first.
                long written = WRITES + 1;
                RingDrain.await(() -> received(client) + told(client) >= written, WAIT);
                List<Message> lost = client.messages().stream().filter(m -> m.event().equals("lost")).toList();
                assertThat(lost).as("lost messages").isNotEmpty().allSatisfy(message -> {
                    assertThat(message.data().path("stage").asText()).isEqualTo("kernel");
                    assertThat(message.data().path("reason").asText()).isEqualTo("buffer_full");
                    assertThat(message.data().path("eventType").asText()).isEqualTo("write");
                    assertThat(message.data().path("scope").asText()).isEqualTo("type");
                });
                System.out.printf("%s: %d writes received, %d told lost in %d messages%n", buffer, received(client),
                        told(client), lost.size());
                assertThat(received(client) + told(client)).as("received + told lost, %s", buffer).isEqualTo(written);
                assertThat(told(client)).as("told lost").isGreaterThan(WRITES / 10);
                assertThat(client.violations()).isEmpty();

                Map<String, Double> after = Scrape.of(daemon.uri("/q/metrics"));
                String kernel = "bpfscope_events_lost_total{stage=\"kernel\"}";
                assertThat(after.get(kernel) - before.get(kernel)).as("counted lost in the kernel")
                        .isEqualTo((double) told(client));
                assertThat(after).containsEntry("bpfscope_write_syscalls_total" + Scrape.onHost(writer.comm()),
                        (double) WRITES);

                assertThat(RingDrain.await(() -> exported(export, writer.pid()) == written, WAIT))
                        .as("the export's writes of dd plus the counts of its lost lines").isTrue();
            }
        }
    }

    /** Lines of the export: writes of {@code pid}, plus the counts of the lost lines. */
    private static long exported(Path file, int pid) {
        long total = 0;
        try (Stream<String> lines = Files.lines(file)) {
            for (String line : lines.toList()) {
                JsonNode data = JSON.readTree(line);
                if (data.path("type").asText().equals("lost")) {
                    total += data.path("count").asLong();
                } else if (data.path("pid").asInt() == pid) {
                    total++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total;
    }

    private static long received(SseClient client) {
        return client.messages().stream().filter(m -> m.event().equals("write")).count();
    }

    private static long told(SseClient client) {
        return client.messages().stream().filter(m -> m.event().equals("lost"))
                .mapToLong(m -> m.data().path("count").asLong()).sum();
    }
}
