package io.bpfscope.robust;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.HostJvmOptions;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.Scrape;
import io.bpfscope.testing.SseClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Execs with long command lines, more of them than the shipped heap could
 * hold at once, followed on /events by a daemon with the shipped JVM options:
 * the replay ring lets its oldest events go by memory before by count, so the
 * daemon keeps serving rather than running out of heap.
 */
class ExecFloodIT {

    /** About 8 KiB held per exec (the argument twice, as a string and on the wire): 80 MiB in all. */
    private static final int EXECS = 10_000;
    private static final String ARGUMENT = "a".repeat(3_900);

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @Test
    void execsHoldingMoreThanTheHeapLeaveTheDaemonServingWithEveryExecStreamed(@TempDir Path state)
            throws Exception {
        String marker = "--flood-" + System.nanoTime();
        try (Daemon daemon = Daemon.listening(state, HostJvmOptions.line().split(" "));
             SseClient client = SseClient.connect(daemon.uri("/events?type=exec"), Map.of())) {
            Process flood = new ProcessBuilder("/bin/sh", "-c", "i=0; while [ $i -lt " + EXECS + " ]; do"
                    + " /bin/true " + marker + " " + ARGUMENT + "; i=$((i+1)); done")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            assertThat(flood.waitFor(120, TimeUnit.SECONDS)).as("the flood's shell finished").isTrue();

            assertThat(client.awaitCount(m -> m.data().path("argv").path(1).asText().equals(marker), EXECS,
                    Duration.ofSeconds(30))).hasSize(EXECS);
            Scrape.assertServing(daemon);
            assertThat(daemon.output()).doesNotContain("OutOfMemoryError");
            assertThat(daemon.terminate(Duration.ofSeconds(10))).isZero();
        }
    }
}
