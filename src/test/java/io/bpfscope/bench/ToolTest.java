package io.bpfscope.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tools as the harness runs them, on real processes (a shell standing in for a tracer). */
class ToolTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aToolIsReadyOnItsLineAndStopsOnTheSignalItIsSent() throws Exception {
        try (Tool tool = Tool.start(dir, "tracer", Duration.ofSeconds(60), List.of("sh", "-c",
                "echo attached id=42; trap 'echo counted 7; exit 0' INT; while :; do sleep 0.05; done"))) {
            assertThat(tool.awaitLine(Pattern.compile("^attached id=(\\d+)"), PATIENCE).group(1)).isEqualTo("42");

            tool.stopCleanly("INT", PATIENCE);

            assertThat(tool.output()).contains("counted 7");
        }
    }

    @Test
    void aToolThatExitsBeforeItIsReadyFailsTheRunWithItsError() {
        try (Tool tool = Tool.start(dir, "broken", Duration.ofSeconds(60),
                List.of("sh", "-c", "echo 'cannot load the object' >&2; exit 3"))) {
            assertThatThrownBy(() -> tool.awaitLine(Pattern.compile("^attached"), PATIENCE))
                    .isInstanceOf(HarnessFailure.class)
                    .hasMessageContaining("broken exited (exit status 3)")
                    .hasMessageContaining("cannot load the object");
        }
    }

    @Test
    void aToolThatIgnoresItsSignalIsKilledWithWhatItStartedAfterTheGrace() throws Exception {
        try (Tool tool = Tool.start(dir, "stubborn", Duration.ofSeconds(60),
                List.of("sh", "-c", "trap '' TERM; sleep 300 & echo ready; wait"))) {
            tool.awaitLine(Pattern.compile("^ready"), PATIENCE);
            List<ProcessHandle> started = tool.handle().descendants().toList();
            assertThat(started).as("the shell and its sleep").hasSize(2);

            int status = tool.stop("TERM", Duration.ofMillis(500));

            assertThat(status).isNotZero();
            assertThat(started).noneMatch(ProcessHandle::isAlive);
        }
    }

    @Test
    void exitStatusesAreSaidInWords() {
        assertThat(Tool.exitText(124)).isEqualTo("timed out (exit 124)");
        assertThat(Tool.exitText(137)).isEqualTo("killed by signal 9");
        assertThat(Tool.exitText(3)).isEqualTo("exit status 3");
    }
}
