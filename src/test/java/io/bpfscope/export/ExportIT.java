package io.bpfscope.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.RingDrain;
import io.bpfscope.testing.Scrape;
import io.bpfscope.testing.SseClient;
import io.bpfscope.testing.Writer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export on the packaged daemon: real execs and a real traced writer,
 * read back from the files it wrote, from its standard output, and from a
 * tmpfs too small for them.
 */
class ExportIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIB = 1 << 20;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String WRITE_EVENTS = "bpfscope_events_total{type=\"write\"}";
    private static final String EXPORTED = "bpfscope_export_events_total";
    private static final String EXPORT_LOST = "bpfscope_events_lost_total{stage=\"export\"}";

    @TempDir
    Path dir;

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @Test
    void anExecIsExportedAsTheSameJsonAsOnEvents() throws Exception {
        Path file = dir.resolve("events.log");
        try (Daemon daemon = Daemon.start("-Dbpfscope.export.file=" + file, "-Dbpfscope.export.types=exec");
             SseClient client = connected(daemon)) {
            String marker = "export-" + UUID.randomUUID();
            Process child = new ProcessBuilder("/bin/true", marker).start();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

            SseClient.Message streamed = client.await(m -> m.data().path("argv").toString().contains(marker), PATIENCE);

            assertThat(RingDrain.await(() -> lines(file).stream().anyMatch(line -> line.contains(marker)), PATIENCE))
                    .as("the exec in %s", file).isTrue();
            String exported = lines(file).stream().filter(line -> line.contains(marker)).findFirst().orElseThrow();
            assertThat(JSON.readTree(exported)).isEqualTo(streamed.data());
            // Word of a loss of execs may come too (an exec the machine's load made the kernel drop).
            assertThat(lines(file)).allSatisfy(line -> assertThat(typeOf(JSON.readTree(line))).isEqualTo("exec"));
            assertThat(daemon.output()).contains("export: [exec] events as JSON lines to " + file);
            assertThat(daemon.terminate(Duration.ofSeconds(10))).isZero();
        }
    }

    @Test
    void aBurstOfWritesRotatesFilesWithinTheirSizeAndEveryEventIsExportedOrCounted() throws Exception {
        Path file = dir.resolve("writes.log");
        int writes = 300_000;
        try (Daemon daemon = Daemon.start("-Dbpfscope.export.file=" + file, "-Dbpfscope.export.max-file-size=1M",
                "-Dbpfscope.export.max-files=3", "-Dbpfscope.export.types=write");
             Writer writer = Writer.prepare(writes, 1)) {
            traceToTheEnd(daemon, writer, writes);

            List<Path> files = exportFiles(file);
            assertThat(files).as("the file and its 3 rotated ones").hasSize(4);
            long kept = 0;
            for (Path each : files) {
                assertThat(Files.size(each)).as("size of %s", each).isLessThanOrEqualTo(MIB);
                for (String line : lines(each)) {
                    JsonNode event = JSON.readTree(line);
                    if (lost(event)) {
                        continue;
                    }
                    assertThat(event.path("type").asText()).isEqualTo("write");
                    assertThat(event.path("pid").asLong()).isEqualTo(writer.pid());
                    kept++;
                }
            }
            // Older files went: what is kept is the newest 4 MiB of the export, every line whole.
            assertThat(kept).isPositive().isLessThan(writes);
            assertThat(daemon.terminate(Duration.ofSeconds(10))).isZero();
        }
    }

    @Test
    void exportedToStdoutBesideTheLog() throws Exception {
        try (Daemon daemon = Daemon.start("-Dbpfscope.export.stdout=true", "-Dbpfscope.export.types=exec")) {
            daemon.awaitListening(PATIENCE);
            String marker = "stdout-" + UUID.randomUUID();
            Process child = new ProcessBuilder("/bin/true", marker).start();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

            assertThat(RingDrain.await(() -> daemon.output().contains(marker), PATIENCE)).isTrue();
            String line = daemon.output().lines().filter(each -> each.contains(marker)).findFirst().orElseThrow();
            JsonNode exec = JSON.readTree(line);
            assertThat(exec.path("type").asText()).isEqualTo("exec");
            assertThat(exec.path("filename").asText()).isEqualTo("/bin/true");
            assertThat(daemon.terminate(Duration.ofSeconds(10))).isZero();
        }
    }

    @Test
    void aFullDiskLosesLinesCountedAndSaidOnceButNeverHalfALine() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("small"));
        run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount.toString());
        try {
            Path file = mount.resolve("writes.log");
            int writes = 20_000;
            try (Daemon daemon = Daemon.start("-Dbpfscope.export.file=" + file, "-Dbpfscope.export.max-file-size=1M",
                    "-Dbpfscope.export.types=write");
                 Writer writer = Writer.prepare(writes, 1)) {
                traceToTheEnd(daemon, writer, writes);
                assertThat(Scrape.sample(daemon, EXPORT_LOST)).as("lines that did not fit").isPositive();
                Scrape.assertServing(daemon);

                byte[] written = Files.readAllBytes(file);
                assertThat(written.length).isPositive();
                assertThat(written[written.length - 1]).as("the file ends with a whole line").isEqualTo((byte) '\n');
                for (String line : lines(file)) {
                    JsonNode event = JSON.readTree(line);
                    assertThat(lost(event) || event.path("pid").asLong() == writer.pid()).as(line).isTrue();
                }
                assertThat(daemon.output().lines().filter(line -> line.contains("export: ") && line.contains(" lost: "))
                        .toList()).as("one line for the episode").hasSize(1).first().asString()
                        .contains("cannot write to " + file).contains("No space left on device");
                assertThat(daemon.terminate(Duration.ofSeconds(10))).isZero();
            }
        } finally {
            run("umount", mount.toString());
        }
    }

    /** Puts the writer in the filter, lets it write, and waits until the export has written or counted every event. */
    private static void traceToTheEnd(Daemon daemon, Writer writer, int writes) throws Exception {
        daemon.awaitListening(PATIENCE);
        daemon.trace(writer.pid());
        writer.run();
        assertThat(RingDrain.await(() -> everyWriteExportedOrCounted(daemon, writes), PATIENCE))
                .as("exported + lost = events, in %s", Scrape.get(daemon.uri("/metrics")).body()).isTrue();
    }

    /**
     * Every write event read (the writer's, and its shell's one before it)
     * was written to the export or counted as lost there. A gap the hub let
     * go before the export read it may hold other events too (execs), which
     * count with it.
     */
    private static boolean everyWriteExportedOrCounted(Daemon daemon, int writes) {
        Map<String, Double> now = Scrape.of(daemon.uri("/metrics"));
        double events = now.getOrDefault(WRITE_EVENTS, 0.0);
        double accounted = now.get(EXPORTED) + now.get(EXPORT_LOST);
        return events >= writes && accounted >= events
                && accounted <= events + now.getOrDefault("bpfscope_events_total{type=\"exec\"}", 0.0);
    }

    /** A lost line: word of events the kernel, the reader or the export itself lost. */
    private static boolean lost(JsonNode line) {
        return line.path("type").asText().equals("lost");
    }

    /** The type of an event line, or of the events a lost line counts. */
    private static String typeOf(JsonNode line) {
        return lost(line) ? line.path("eventType").asText() : line.path("type").asText();
    }

    private static SseClient connected(Daemon daemon) throws Exception {
        daemon.awaitListening(PATIENCE);
        return SseClient.connect(URI.create("http://127.0.0.1:" + daemon.port() + "/events?type=exec"), Map.of());
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> exportFiles(Path file) throws IOException {
        try (Stream<Path> all = Files.list(file.getParent())) {
            return all.filter(each -> each.getFileName().toString().startsWith(file.getFileName().toString()))
                    .sorted().toList();
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
    }
}
