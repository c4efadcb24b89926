package io.bpfscope.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.ExpectedPaths;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.PipeWriter;
import io.bpfscope.testing.Scrape;
import io.bpfscope.testing.SizedWriter;
import io.bpfscope.testing.SseClient;
import io.bpfscope.testing.SseClient.Message;
import io.bpfscope.testing.WriteSizes;
import io.bpfscope.testing.Writer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What the packaged daemon must do on every kernel it supports, whatever
 * path each feature takes there: failsafe runs it on this machine's kernel,
 * and scripts/test-kernels in Debian's 5.10, 6.1 and 6.12 under qemu, with
 * the older paths forced too. The daemon is started with this JVM's
 * bpfscope.buffer, bpfscope.fallbacks and bpfscope.btf-path, if set.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EveryKernelIT {

    /** Under qemu without KVM a JVM starts some twenty times slower than here. */
    static final Duration START = Duration.ofMinutes(5);
    private static final Duration EVENT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Daemon daemon;
    private static Set<Long> programs;

    @BeforeAll
    static void start() throws InterruptedException {
        Kernel.requireRoot();
        List<String> settings = new ArrayList<>(settingsOfThisRun());
        settings.add("-Dbpfscope.write.latency.enabled=true");
        daemon = Daemon.start(settings.toArray(String[]::new));
        daemon.awaitListening(START);
        programs = Kernel.programIdsHeldBy(daemon.process().pid());
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    /** The daemon settings this run was given, as JVM arguments. */
    static List<String> settingsOfThisRun() {
        List<String> settings = new ArrayList<>();
        for (String key : List.of("bpfscope.buffer", "bpfscope.fallbacks", "bpfscope.btf-path")) {
            String value = System.getProperty(key);
            if (value != null) {
                settings.add("-D" + key + "=" + value);
            }
        }
        return settings;
    }

    @Test
    @Order(1)
    void eachFeatureTakesThePathThisKernelOffersAndSaysSo() {
        Map<String, String> expected = new LinkedHashMap<>(ExpectedPaths.here().byFeature());
        expected.put("btf", System.getProperty("bpfscope.btf-path") == null ? "kernel" : "file");
        Map<String, Double> samples = Scrape.of(daemon.uri("/metrics"));

        Map<String, String> exposed = new LinkedHashMap<>();
        samples.keySet().stream().filter(series -> series.startsWith("bpfscope_kernel_feature_info{"))
                .forEach(series -> exposed.put(label(series, "feature"), label(series, "path")));
        assertThat(exposed).as("bpfscope_kernel_feature_info").containsExactlyInAnyOrderEntriesOf(expected);
        String paths = String.join(" ", expected.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        assertThat(daemon.output()).contains("kernel paths: " + paths);
        // For the kernel matrix's log: which path each feature took on which kernel.
        System.out.println("bpfscope on " + System.getProperty("os.version") + ": " + paths);
        assertThat(programs).as("programs the daemon holds").hasSize(ExpectedPaths.here().withWriteLatency().programs().size());
        assertThat(daemon.output()).contains("attached " + ExpectedPaths.here().withWriteLatency().writePrograms() + " and "
                + ExpectedPaths.here().execPrograms());
    }

    @Test
    @Order(2)
    void writesAreCountedExactlyByComm() throws Exception {
        try (Writer writer = Writer.prepare(10_007, 13)) {
            writer.run();
            String comm = Scrape.onHost(writer.comm());
            Map<String, Double> samples = Scrape.of(daemon.uri("/metrics"));
            assertThat(samples).containsEntry("bpfscope_write_syscalls_total" + comm, 10_007.0)
                    .containsEntry("bpfscope_write_bytes_total" + comm, 10_007.0 * 13);
        }
    }

    @Test
    @Order(2)
    void writeSizesAreCountedExactlyInEveryBucket() {
        Map<Long, Long> sizes = new LinkedHashMap<>();
        sizes.put(0L, 3L);
        sizes.put(1L, 500L);
        sizes.put(100L, 200L);
        sizes.put(4096L, 100L);
        sizes.put(1L << 20, 10L);
        String comm = Scrape.onHost(SizedWriter.run(sizes));
        Map<String, Double> samples = Scrape.of(daemon.uri("/metrics"));
        WriteSizes.classicBuckets(sizes).forEach((le, count) -> assertThat(samples)
                .containsEntry("bpfscope_write_size_bytes_bucket" + comm.replace("}", ",le=\"" + le + "\"}"), (double) count));
        assertThat(samples).containsEntry("bpfscope_write_size_bytes_sum" + comm, (double) WriteSizes.of(sizes).bytes());
    }

    /**
     * With bpfscope.write.latency.enabled: a write that blocks on a full pipe while its reader
     * sleeps 1.1 s lands past the classic bound of 1 s and within that of 4 s; the rest under 1 s;
     * the failed ones by errno.
     */
    @Test
    @Order(2)
    void writeDurationsAndErrorsAreCountedExactly() {
        int rounds = 3;
        int epipes = 5;
        String comm = Scrape.onHost(PipeWriter.run(rounds, Duration.ofMillis(1100), epipes));
        Map<String, Double> samples = Scrape.of(daemon.uri("/metrics"));
        String bucket = "bpfscope_write_duration_seconds_bucket" + comm.replace("}", ",le=\"%s\"}");
        assertThat(samples).containsEntry(bucket.formatted("1.0"), (double) 2 * rounds + epipes)
                .containsEntry(bucket.formatted("4.0"), (double) 3 * rounds + epipes)
                .containsEntry("bpfscope_write_duration_seconds_count" + comm, (double) 3 * rounds + epipes)
                .containsEntry("bpfscope_write_syscalls_total" + comm, (double) 3 * rounds + epipes)
                .containsEntry("bpfscope_write_errors_total" + comm.replace("}", ",errno=\"EAGAIN\"}"), (double) rounds)
                .containsEntry("bpfscope_write_errors_total" + comm.replace("}", ",errno=\"EPIPE\"}"), (double) epipes);
    }

    @Test
    @Order(3)
    void execsAreStreamedWithTheirArgumentsCallerAndResult() throws Exception {
        String missing = "/nonexistent/bpfscope-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        long self = ProcessHandle.current().pid();
        try (SseClient client = SseClient.connect(daemon.uri("/events?type=exec"), Map.of())) {
            Process child = new ProcessBuilder("/bin/true", "alpha", "beta gamma").start();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> new ProcessBuilder(missing).start()).isInstanceOf(IOException.class);

            Message ok = client.await(m -> m.data().path("filename").asText().equals("/bin/true")
                    && m.data().path("argv").toString().equals("[\"/bin/true\",\"alpha\",\"beta gamma\"]"), EVENT);
            assertThat(ok.data().path("ret").asInt()).isZero();
            assertThat(ok.data().path("comm").asText()).isEqualTo("true");
            assertThat(ok.data().path("uid").asLong()).isZero();
            assertThat(ok.data().path("gid").asLong()).isZero();
            assertThat(ok.data().path("ppid").asLong()).as("parent of the exec").isEqualTo(self);

            Message failed = client.await(m -> m.data().path("filename").asText().equals(missing), EVENT);
            assertThat(failed.data().path("ret").asInt()).as("-ENOENT").isEqualTo(-2);
            assertThat(failed.data().path("ppid").asLong()).isEqualTo(self);
        }
    }

    @Test
    @Order(4)
    void exitsAreStreamedWithTheirCodeSignalAndLifetimeAndCountedByResult() throws Exception {
        Map<String, Double> before = Scrape.of(daemon.uri("/metrics"));
        try (SseClient client = SseClient.connect(daemon.uri("/events?type=exit"), Map.of())) {
            Process ok = new ProcessBuilder("/bin/true").start();
            Process three = new ProcessBuilder("/bin/sh", "-c", "sleep 0.2; exit 3").start();
            Process killed = new ProcessBuilder("/bin/sleep", "600").start();
            assertThat(ok.waitFor(30, TimeUnit.SECONDS) && three.waitFor(30, TimeUnit.SECONDS)).isTrue();
            killed.destroyForcibly();
            assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();

            Message success = client.await(m -> m.data().path("pid").asLong() == ok.pid(), EVENT);
            assertThat(success.event()).isEqualTo("exit");
            assertThat(success.data().path("result").asText()).isEqualTo("success");
            assertThat(success.data().path("exitCode").asInt(-1)).isZero();
            assertThat(success.data().path("signal").isNull()).isTrue();
            assertThat(success.data().path("comm").asText()).isEqualTo("true");
            assertThat(success.data().path("ppid").asLong()).isEqualTo(ProcessHandle.current().pid());

            Message failure = client.await(m -> m.data().path("pid").asLong() == three.pid(), EVENT);
            assertThat(failure.data().path("result").asText()).isEqualTo("failure");
            assertThat(failure.data().path("exitCode").asInt()).isEqualTo(3);
            assertThat(failure.data().path("durationNs").asLong()).as("it slept 0.2 s").isGreaterThanOrEqualTo(200_000_000L);

            Message signal = client.await(m -> m.data().path("pid").asLong() == killed.pid(), EVENT);
            assertThat(signal.data().path("result").asText()).isEqualTo("signal");
            assertThat(signal.data().path("signal").asText()).isEqualTo("SIGKILL");
            assertThat(signal.data().path("exitCode").isNull()).isTrue();
        }
        // Every process on the node counts, so others may add to these: ours must be there at least.
        Map<String, Double> after = Scrape.of(daemon.uri("/metrics"));
        for (String result : List.of("success", "failure", "signal")) {
            String series = "bpfscope_exit_total{result=\"" + result + "\",namespace=\"\"}";
            assertThat(after.get(series) - before.getOrDefault(series, 0.0)).as(series).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    @Order(5)
    void theFilterStreamsTheWritesOfTracedProcessesAndTheirChildren() throws Exception {
        try (Writer traced = Writer.prepare(1_001, 3); Writer other = Writer.prepare(1_001, 3);
             SseClient client = SseClient.connect(daemon.uri("/events?type=write"), Map.of())) {
            assertThat(putFilter("{\"pids\":[" + traced.pid() + "]}")).isEqualTo(200);
            traced.run();
            other.run();
            List<Message> writes = client.awaitCount(m -> m.data().path("comm").asText().equals(traced.comm()), 1_001, EVENT);
            assertThat(writes).allMatch(m -> m.data().path("pid").asInt() == traced.pid()
                    && m.data().path("count").asLong() == 3);
            Thread.sleep(500);
            assertThat(client.messages()).noneMatch(m -> m.data().path("comm").asText().equals(other.comm()));
        }

        Path script = Files.createTempFile("bpfscope-parent", ".sh");
        // The child is a process of its own (the shell must not exec it): dd writes 17 times, 5 bytes each.
        Files.writeString(script, "read go\n/bin/dd if=/dev/zero of=/dev/null bs=5 count=17 status=none\nexit 0\n");
        Process parent = new ProcessBuilder("/bin/sh", script.toString()).start();
        try (SseClient client = SseClient.connect(daemon.uri("/events?type=write"), Map.of())) {
            assertThat(putFilter("{\"pids\":[" + parent.pid() + "],\"followChildren\":true}")).isEqualTo(200);
            parent.getOutputStream().write('\n');
            parent.getOutputStream().close();
            assertThat(parent.waitFor(60, TimeUnit.SECONDS)).isTrue();
            List<Message> childWrites = client.awaitCount(m -> m.data().path("comm").asText().equals("dd")
                    && m.data().path("count").asLong() == 5, 17, EVENT);
            assertThat(childWrites).allMatch(m -> m.data().path("pid").asLong() != parent.pid());
        } finally {
            Files.deleteIfExists(script);
            assertThat(putFilter("{\"pids\":[]}")).isEqualTo(200);
        }
    }

    @Test
    @Order(6)
    void sigtermUnloadsEverything() throws Exception {
        assertThat(daemon.terminate(Duration.ofSeconds(60))).as("exit status after SIGTERM").isZero();
        assertThat(daemon.output()).contains("detached and unloaded bpfscope's programs");
        Kernel.assertUnloaded(programs);
    }

    private static int putFilter(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(daemon.uri("/filters/pids"))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String label(String series, String name) {
        return Stream.of(series.substring(series.indexOf('{') + 1, series.length() - 1).split(","))
                .filter(label -> label.startsWith(name + "=")).map(label -> label.substring(name.length() + 2,
                        label.length() - 1)).findFirst().orElseThrow();
    }
}
