package io.bpfscope.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfscope.testing.Cgroup2;
import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.ExpectedPaths;
import io.bpfscope.testing.Kernel;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The packaged daemon as a process: start, attach, SIGTERM, and the one-line start-up failures. */
class DaemonIT {


    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @Test
    void attachesAtStartAndLeavesNothingAfterSigterm() throws Exception {
        try (Daemon daemon = Daemon.start("-Dbpfscope.bpf-stats=true")) {
            daemon.awaitListening(Duration.ofSeconds(30));

            Set<Long> ours = programIdsOf(daemon);
            assertThat(ours).as("programs the daemon loaded").hasSize(ExpectedPaths.here().programs().size());
            new ProcessBuilder("/bin/true").start().waitFor();
            // A move to another cgroup, for the program that sees them.
            try (Cgroup2 cgroup = Cgroup2.make("bpfscope-daemon-it-" + daemon.port())) {
                Process moved = new ProcessBuilder("sleep", "30").start();
                cgroup.add(moved.pid());
                moved.destroy();
                assertThat(moved.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
            String metrics = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String program : ExpectedPaths.here().programs()) {
                assertThat(metrics).containsPattern("bpfscope_bpf_program_runs_total\\{program=\"" + program
                        + "\"} [1-9]");
                assertThat(metrics).contains("bpfscope_bpf_program_run_seconds_total{program=\"" + program + "\"}");
            }
            assertThat(daemon.output()).contains("and " + ExpectedPaths.here().execPrograms());

            assertThat(daemon.terminate(Duration.ofSeconds(10))).as("exit status after SIGTERM").isZero();
            assertThat(daemon.output()).contains("detached and unloaded bpfscope's programs");
            Kernel.assertUnloaded(ours);
        }
    }

    @Test
    void sigtermDuringStartUpStillStopsCleanly() throws Exception {
        try (Daemon daemon = Daemon.start()) {
            // Quarkus cannot be asked to exit before it has started: the signal must not be lost.
            // As soon as its programs are in, which is before Quarkus reports itself started.
            int programs = ExpectedPaths.here().programs().size();
            Set<Long> seen = new HashSet<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.size() < programs && System.nanoTime() < deadline) {
                seen = programIdsOf(daemon);
            }
            assertThat(seen).hasSize(programs);
            assertThat(daemon.terminate(Duration.ofSeconds(15))).as("exit status after SIGTERM").isZero();
            Kernel.assertUnloaded(seen);
        }
    }

    @Test
    void theFilterSurvivesARestartLessTheProcessesThatExited(@TempDir Path state) throws Exception {
        Process staying = new ProcessBuilder("sleep", "120").start();
        Process leaving = new ProcessBuilder("sleep", "120").start();
        try {
            try (Daemon daemon = Daemon.start(List.of(), state)) {
                daemon.awaitListening(Duration.ofSeconds(30));
                HttpResponse<String> put = http(daemon, "PUT", "{\"pids\":[" + staying.pid() + "," + leaving.pid() + "]}");
                assertThat(put.statusCode()).isEqualTo(200);
                assertThat(daemon.terminate(Duration.ofSeconds(10))).isZero();
            }
            assertThat(Files.readString(state.resolve("pid-filter.json")))
                    .contains(Long.toString(staying.pid()), Long.toString(leaving.pid()));
            leaving.destroy();
            leaving.waitFor();

            try (Daemon daemon = Daemon.start(List.of(), state)) {
                daemon.awaitListening(Duration.ofSeconds(30));

                assertThat(http(daemon, "GET", null).body()).contains("\"pids\":[" + staying.pid() + "]");
                assertThat(daemon.output()).contains("PID " + leaving.pid() + " of the saved filter has exited: not traced");
                assertThat(daemon.terminate(Duration.ofSeconds(10))).isZero();
            }
        } finally {
            staying.destroy();
            leaving.destroy();
        }
    }

    private static HttpResponse<String> http(Daemon daemon, String method, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.port() + "/filters/pids"))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-Dbpfscope.btf-path=/nonexistent/vmlinux | cannot read bpfscope.btf-path /nonexistent/vmlinux: give a readable"
                + " BTF file for this kernel",
        "-Dbpfscope.fallbacks=threads,ringbuffer | bpfscope.fallbacks names ringbuffer, which is not a feature: give all"
                + " or some of buffer, argv_loop, threads, exec_result, clock, probe_read, filter_state, map_reads",
        "-Dbpfscope.exec.buffer-bytes=-1 | bpfscope.exec.buffer-bytes must be a power of two of at least 4096 bytes,"
                + " not -1",
        "-Dbpfscope.write.max-series=0 | bpfscope.write.max-series must be at least 1, not 0",
        "-Dbpfscope.events.heartbeat=40s | bpfscope.events.heartbeat (PT40S) must be shorter than quarkus.http.idle-timeout"
                + " (PT30S), which closes silent connections",
        "-Dbpfscope.exec.argv=masked | bpfscope.exec.argv must be full, redacted or off, not masked",
        "-Dbpfscope.export.max-file-size=64K | bpfscope.export.max-file-size must be at least 1M, not 65536 bytes",
        "-Dbpfscope.api.token-file=/nonexistent/token | cannot read bpfscope.api.token-file /nonexistent/token: no such file"})
    void badSettingIsOneLineAndExitStatusOne(String setting, String message) throws Exception {
        try (Daemon daemon = Daemon.start(setting)) {
            assertThat(daemon.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
            assertOneErrorLine(daemon.output(), message);
        }
    }

    /** Values that do not convert stop the daemon as its configuration is read, before anything loads. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-Dbpfscope.buffer=bogus | bpfscope.buffer | allowed values: auto,ringbuf,perf",
        "-Dbpfscope.events.replay-size=1000 | bpfscope.events.replay-size | must be a power of two of at least 2, not 1000",
        "-Dbpfscope.events.replay-memory=0 | bpfscope.events.replay-memory | must be more than 0 bytes, not 0",
        "-Dbpfscope.events.replay-memory=lots | bpfscope.events.replay-memory | must be a size such as 16M, 512K or 1G, not lots",
        "-Dbpfscope.filter.max-pids=0 | bpfscope.filter.max-pids | must be at least 1, not 0",
        "-Dbpfscope.export.types=exec,reads | bpfscope.export.types | must be one of exec, exit, write, not reads",
        "-Dbpfscope.export.max-files=0 | bpfscope.export.max-files | must be at least 1, not 0",
        "-Dbpfscope.poll-interval=-5ms | bpfscope.poll-interval | must be a duration of more than zero, not -5ms",
        "-Dbpfscope.health.reader-stall=0s | bpfscope.health.reader-stall | must be a duration of more than zero, not 0s",
        "-Dbpfscope.write.buffer-bytes=4k | bpfscope.write.buffer-bytes | Expected an integer value, got \"4k\""})
    void valueThatDoesNotConvertIsNamedOnOneLine(String setting, String key, String reason) throws Exception {
        try (Daemon daemon = Daemon.start(setting)) {
            assertThat(daemon.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
            List<String> lines = daemon.output().lines().toList();
            int header = lines.indexOf("Configuration validation failed:");
            assertThat(header).as("output:%n%s", daemon.output()).isNotNegative();
            assertThat(lines.get(header + 1)).contains("config property " + key + " ").contains(reason);
            assertThat(daemon.output()).as("no stack trace").doesNotContain("\tat ").doesNotContain("attached");
        }
    }

    @Test
    void withoutPrivilegesIsOneLineAndExitStatusOne() throws Exception {
        List<String> asNobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
        try (Daemon daemon = Daemon.start(asNobody, "-Djava.io.tmpdir=/tmp")) {
            assertThat(daemon.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
            assertOneErrorLine(daemon.output(), "bpfscope needs root, or CAP_BPF and CAP_PERFMON, to load BPF programs"
                    + " (effective capabilities: 0x0): run it as root or grant them");
        }
    }

    private static void assertOneErrorLine(String output, String message) {
        List<String> errors = output.lines().filter(line -> line.contains(" ERROR ")).toList();
        assertThat(errors).as("ERROR lines in:%n%s", output).hasSize(1);
        assertThat(errors.getFirst()).endsWith(message);
        assertThat(output).as("no stack trace").doesNotContain("\tat ");
    }

    /** bpfscope programs the daemon's process holds (programs of other daemons on the machine are not counted). */
    private static Set<Long> programIdsOf(Daemon daemon) {
        Set<Long> held = Kernel.programIdsHeldBy(daemon.process().pid());
        Set<Long> ours = new HashSet<>();
        for (JsonNode program : Kernel.bpftool("prog", "show")) {
            if (held.contains(program.path("id").asLong()) && program.path("name").asText().startsWith("bpfscope_")) {
                ours.add(program.path("id").asLong());
            }
        }
        return ours;
    }
}
