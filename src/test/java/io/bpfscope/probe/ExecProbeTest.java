package io.bpfscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.event.ExecEvent;
import io.bpfscope.libbpf.RecordSource;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.RingDrain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The execve programs, attached in the real kernel, on execs this test starts. */
class ExecProbeTest {

    private static ExecProbe probe;
    private static RecordSource ring;
    private static RingDrain drain;
    private static final List<ExecEvent> EVENTS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void attach() {
        Kernel.requireRoot();
        probe = Kernel.execProbe(Map.of());
        ring = probe.events();
        probe.attach();
        drain = new RingDrain(ring, (memory, offset, length) -> EVENTS.add(ExecEvent.decode(memory, offset, length)));
    }

    @AfterAll
    static void detach() throws InterruptedException {
        drain.close();
        ring.close();
        probe.close();
    }

    @Test
    void successfulExecIsReportedWithItsArgumentsAndIdentity() throws Exception {
        Process child = new ProcessBuilder("/bin/true", "a", "b c", "").start();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

        ExecEvent exec = await(e -> e.pid() == child.pid() && e.filename().equals("/bin/true"));

        assertThat(exec.argv()).containsExactly("/bin/true", "a", "b c", "");
        assertThat(exec.argvTruncated()).isFalse();
        assertThat(exec.filenameTruncated()).isFalse();
        assertThat(exec.ret()).isZero();
        assertThat(exec.comm()).isEqualTo("true");
        assertThat(exec.tid()).isEqualTo(exec.pid());
        assertThat(exec.ppid()).isEqualTo((int) ProcessHandle.current().pid());
        assertThat(exec.uid()).isZero();
        assertThat(exec.gid()).isZero();
        assertThat(exec.cgroupId()).isEqualTo(ownCgroupId());
        assertThat(exec.bootNs()).isPositive();
    }

    @Test
    void failedExecIsReportedWithItsError() throws Exception {
        String missing = "/nonexistent/bpfscope-" + ProcessHandle.current().pid();
        Process shell = new ProcessBuilder("/bin/sh", "-c", "exec \"$0\" x y", missing).start();
        assertThat(shell.waitFor(10, TimeUnit.SECONDS)).isTrue();

        ExecEvent exec = await(e -> e.filename().equals(missing));

        assertThat(exec.ret()).isEqualTo(-2);
        assertThat(exec.argv()).containsExactly(missing, "x", "y");
        assertThat(exec.pid()).isEqualTo((int) shell.pid());
        assertThat(exec.comm()).isEqualTo("sh");
        assertThat(exec.ppid()).isEqualTo((int) ProcessHandle.current().pid());
    }

    @Test
    void longArgumentsAreCutAndFlagged() throws Exception {
        String big = "x".repeat(3000);
        Process child = new ProcessBuilder("/bin/true", big, big).start();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

        ExecEvent exec = await(e -> e.pid() == child.pid() && e.filename().equals("/bin/true"));

        assertThat(exec.argvTruncated()).isTrue();
        assertThat(exec.argv()).hasSize(3);
        assertThat(exec.argv().get(1)).isEqualTo(big);
        assertThat(big).startsWith(exec.argv().get(2));
        int carried = exec.argv().stream().mapToInt(arg -> arg.length() + 1).sum();
        assertThat(carried).isLessThanOrEqualTo(4096);
        assertThat(probe.drops(DropReason.BUFFER_FULL)).isZero();
    }

    private static ExecEvent await(Predicate<ExecEvent> match) throws InterruptedException {
        RingDrain.await(() -> EVENTS.stream().anyMatch(match), Duration.ofSeconds(10));
        Optional<ExecEvent> found = EVENTS.stream().filter(match).findFirst();
        assertThat(found).as("exec record among %d received", EVENTS.size()).isPresent();
        return found.orElseThrow();
    }

    /** A cgroup v2 id is the inode number of the cgroup's directory. */
    private static long ownCgroupId() throws Exception {
        String line = Files.readAllLines(Path.of("/proc/self/cgroup")).stream()
                .filter(l -> l.startsWith("0::")).findFirst().orElseThrow();
        Path dir = Path.of("/sys/fs/cgroup" + line.substring(3));
        return (Long) Files.getAttribute(dir, "unix:ino");
    }
}
