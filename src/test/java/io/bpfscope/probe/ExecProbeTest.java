package io.bpfscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.event.ExecEvent;
import io.bpfscope.testing.Cgroup2;
import io.bpfscope.testing.ExecRecorder;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.RingDrain;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The execve programs, attached in the real kernel, on execs this test starts. */
class ExecProbeTest {

    private static ExecRecorder execs;

    @BeforeAll
    static void attach() {
        Kernel.requireRoot();
        execs = ExecRecorder.attach(Map.of());
    }

    @AfterAll
    static void detach() throws InterruptedException {
        execs.close();
    }

    @Test
    void successfulExecIsReportedWithItsArgumentsAndIdentity() throws Exception {
        Process child = new ProcessBuilder("/bin/true", "a", "b c", "").start();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

        ExecEvent exec = execs.await(e -> e.pid() == child.pid() && e.filename().equals("/bin/true"));

        assertThat(exec.argv()).containsExactly("/bin/true", "a", "b c", "");
        assertThat(exec.argvTruncated()).isFalse();
        assertThat(exec.filenameTruncated()).isFalse();
        assertThat(exec.ret()).isZero();
        assertThat(exec.comm()).isEqualTo("true");
        assertThat(exec.tid()).isEqualTo(exec.pid());
        assertThat(exec.ppid()).isEqualTo((int) ProcessHandle.current().pid());
        assertThat(exec.uid()).isZero();
        assertThat(exec.gid()).isZero();
        assertThat(exec.cgroupId()).isEqualTo(Cgroup2.idOf(ProcessHandle.current().pid()));
        assertThat(exec.bootNs()).isPositive();
    }

    @Test
    void failedExecIsReportedWithItsError() throws Exception {
        String missing = "/nonexistent/bpfscope-" + ProcessHandle.current().pid();
        Process shell = new ProcessBuilder("/bin/sh", "-c", "exec \"$0\" x y", missing).start();
        assertThat(shell.waitFor(10, TimeUnit.SECONDS)).isTrue();

        ExecEvent exec = execs.await(e -> e.filename().equals(missing));

        assertThat(exec.ret()).isEqualTo(-2);
        assertThat(exec.argv()).containsExactly(missing, "x", "y");
        assertThat(exec.pid()).isEqualTo((int) shell.pid());
        assertThat(exec.comm()).isEqualTo("sh");
        assertThat(exec.ppid()).isEqualTo((int) ProcessHandle.current().pid());
    }

    /**
     * Every exec the counters have is timed, by its result, except those whose
     * entry was lost (exec_unmatched): with the machine's other execs quiet for a
     * moment, the histograms' counts are the counters'.
     */
    @Test
    void everyExecIsTimedByItsResult() throws Exception {
        long succeeded = execs.probe().durations().succeeded().count();
        long failed = execs.probe().durations().failed().count();
        String missing = "/nonexistent/bpfscope-" + ProcessHandle.current().pid();
        Process shell = new ProcessBuilder("/bin/sh", "-c",
                "i=0; while [ $i -lt 30 ]; do /bin/true; \"$0\" 2>/dev/null; i=$((i+1)); done", missing).start();
        assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(execs.probe().durations().succeeded().count() - succeeded).isGreaterThanOrEqualTo(31);
        assertThat(execs.probe().durations().failed().count() - failed).isGreaterThanOrEqualTo(30);
        assertThat(RingDrain.await(() -> timedIsCounted(execs.probe()), Duration.ofSeconds(10)))
                .as("execs timed %s and %s, counted %s", execs.probe().durations().succeeded(),
                        execs.probe().durations().failed(), execs.probe().counts().read())
                .isTrue();
    }

    private static boolean timedIsCounted(ExecProbe probe) {
        long unmatched = probe.drops(DropReason.EXEC_UNMATCHED);
        long timed = probe.durations().succeeded().count() + probe.durations().failed().count();
        long counted = probe.counts().read().values().stream().mapToLong(count -> count.success() + count.failure()).sum();
        return timed == counted - unmatched;
    }

    @Test
    void longArgumentsAreCutAndFlagged() throws Exception {
        String big = "x".repeat(3000);
        Process child = new ProcessBuilder("/bin/true", big, big).start();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

        ExecEvent exec = execs.await(e -> e.pid() == child.pid() && e.filename().equals("/bin/true"));

        assertThat(exec.argvTruncated()).isTrue();
        assertThat(exec.argv()).hasSize(3);
        assertThat(exec.argv().get(1)).isEqualTo(big);
        assertThat(big).startsWith(exec.argv().get(2));
        int carried = exec.argv().stream().mapToInt(arg -> arg.length() + 1).sum();
        assertThat(carried).isLessThanOrEqualTo(4096);
        assertThat(execs.probe().drops(DropReason.BUFFER_FULL)).isZero();
    }
}
