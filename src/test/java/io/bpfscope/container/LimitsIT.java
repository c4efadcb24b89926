package io.bpfscope.container;

import io.bpfscope.bench.Build;
import io.bpfscope.bench.LimitsChart;
import io.bpfscope.bench.LimitsContainer;
import io.bpfscope.bench.LimitsLoad;
import io.bpfscope.bench.LimitsOutcome;
import io.bpfscope.bench.LimitsState;
import io.bpfscope.bench.Run;
import io.bpfscope.testing.DockerCli;
import io.bpfscope.testing.Kernel;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The image run as the DaemonSet runs it, under the chart's memory limit and
 * a CPU quota, while a traced writer asks for a million writes a second and
 * a fan-out of /events clients follows it, one of them not reading: the
 * short form of {@code bench/harness limits}. The kernel counts, so counts
 * stay exact at any quota; what the daemon cannot deliver it must count and
 * tell; it must not be OOM-killed, and its probes must say the truth.
 */
class LimitsIT {

    private static final String CPUS = "1";
    /** failureThreshold of the chart's liveness probe. */
    private static final int LIVENESS_FAILURE_THRESHOLD = 3;
    private static final int READERS = 8;
    private static final long RATE = 1_000_000;
    /**
     * About 15 s of writes at the rate one writer reaches here beside the
     * daemon and its clients (150,000-350,000/s of the million asked): the
     * stalled client must stay connected, under the daemon's 30 s idle
     * timeout, to be told what it lost.
     */
    private static final long WRITES = 3_000_000;

    private static ImageFromDockerfile image;
    private static Path tools;

    @BeforeAll
    static void dockerAndRoot() {
        Kernel.requireRoot();
        DockerCli.requireEngine();
        image = BpfscopeImage.fromDockerfile();
        // The bench's writer and fan-out client, which keep up with the daemon where a Java client would not.
        tools = new Build(Path.of("bench").toAbsolutePath()).run();
    }

    @Test
    void underTheChartsMemoryLimitAndACpuQuotaCountsStayExactAndEveryLossIsCountedAndTold(@TempDir Path dir)
            throws Exception {
        Run run = new Run(tools, dir, WRITES, Duration.ofSeconds(30), Duration.ofMinutes(2),
                "limits-it-" + ProcessHandle.current().pid());
        LimitsLoad load = new LimitsLoad(READERS, 1, RATE, WRITES, "limits-it");
        try (LimitsContainer daemon = LimitsContainer.start(image.get(), LimitsChart.memoryLimit(), CPUS,
                dir.resolve("state"), Duration.ofMinutes(1))) {
            LimitsOutcome outcome = load.run(run, daemon);
            String seen = outcome.summary() + "; the container's log ends with:\n" + daemon.logTail(20);

            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(outcome.state().oomKilled()).as("OOM-killed; %s", seen).isFalse();
            softly.assertThat(outcome.memory().oomKills()).as("OOM kills in its cgroup").isZero();
            softly.assertThat(outcome.state().running()).as("still running after the load; %s", seen).isTrue();
            softly.assertThat(outcome.account().counted()).as("writes counted in the kernel; %s", seen)
                    .isEqualTo(load.writes());
            // At least: the kernel stage's count holds the exec and exit events dropped meanwhile too.
            softly.assertThat(outcome.account().delivered())
                    .as("writes read as events + lost in the kernel + lost by the reader; %s", seen)
                    .isGreaterThanOrEqualTo(load.writes());
            softly.assertThat(outcome.unaccounted().stream().map(c -> c.client() + ": " + c.received() + " received + "
                    + c.told() + " told" + (c.closed() ? ", closed by the server" : "")).toList())
                    .as("clients whose events received + losses told fall short of %d writes", load.writes()).isEmpty();
            // The chart's kubelet restarts the pod after 3 failed answers in a row, 10 s apart: fewer
            // in all means no restart, and more than a blip would be more.
            softly.assertThat(outcome.probes().live().keySet()).as("/q/health/live answers by status; what it said: %s",
                    outcome.probes().liveReasons()).contains(200).isSubsetOf(200, 503);
            softly.assertThat(outcome.probes().live().getOrDefault(503, 0)).as("/q/health/live DOWN answers; what"
                    + " they said: %s", outcome.probes().liveReasons()).isLessThan(LIVENESS_FAILURE_THRESHOLD);
            softly.assertThat(outcome.probes().ready().keySet()).as("/q/health/ready answers by status; what it said: %s",
                    outcome.probes().readyReasons()).isNotEmpty().isSubsetOf(200, 503);
            softly.assertThat(outcome.probes().silentReady()).as("503s of readiness that do not say why").isZero();
            LimitsState stopped = daemon.stop(Duration.ofSeconds(20));
            softly.assertThat(stopped.exitCode()).as("exit code after docker stop; %s", stopped).isZero();
            softly.assertThat(stopped.oomKilled()).as("OOM-killed by the end").isFalse();
            System.out.println("LimitsIT at --cpus=" + CPUS + ": " + outcome.summary());
            softly.assertAll();
        }
    }
}
