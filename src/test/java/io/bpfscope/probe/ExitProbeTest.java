package io.bpfscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.event.ExitEvent;
import io.bpfscope.histogram.Log2Histogram;
import io.bpfscope.histogram.Log2Unit;
import io.bpfscope.testing.Cgroup2;
import io.bpfscope.testing.ExecRecorder;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.RingDrain;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The process exit program, attached in the real kernel, on processes this test starts and ends. */
class ExitProbeTest {

    private static ExecRecorder records;

    @BeforeAll
    static void attach() {
        Kernel.requireRoot();
        records = ExecRecorder.attach(Map.of());
    }

    @AfterAll
    static void detach() throws InterruptedException {
        records.close();
    }

    @Test
    void aProcessThatExitsIsReportedWithItsCodeParentAndLifetime() throws Exception {
        long before = System.nanoTime();
        Process child = new ProcessBuilder("/bin/sh", "-c", "sleep 0.3; exit 3").start();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long waited = System.nanoTime() - before;

        ExitEvent exit = records.awaitExit(e -> e.pid() == child.pid());

        assertThat(exit.exitCode()).hasValue(3);
        assertThat(exit.signal()).isZero();
        assertThat(exit.result()).isEqualTo(ExitEvent.Result.FAILURE);
        assertThat(exit.coreDumped()).isFalse();
        assertThat(exit.tid()).isEqualTo(exit.pid());
        assertThat(exit.ppid()).isEqualTo((int) ProcessHandle.current().pid());
        assertThat(exit.comm()).isEqualTo("sh");
        assertThat(exit.uid()).isZero();
        assertThat(exit.cgroupId()).isEqualTo(Cgroup2.idOf(ProcessHandle.current().pid()));
        assertThat(exit.startNs()).isPositive();
        assertThat(exit.durationNs()).as("it slept 0.3 s, and was waited for %d ns", waited)
                .isBetween(300_000_000L, waited);
    }

    @Test
    void aProcessThatSucceedsAndOneKilledBySigkillAreToldApart() throws Exception {
        Process ok = new ProcessBuilder("/bin/true").start();
        Process killed = new ProcessBuilder("/bin/sleep", "60").start();
        assertThat(ok.waitFor(10, TimeUnit.SECONDS)).isTrue();
        killed.destroyForcibly();
        assertThat(killed.waitFor(10, TimeUnit.SECONDS)).isTrue();

        ExitEvent success = records.awaitExit(e -> e.pid() == ok.pid());
        assertThat(success.status()).isZero();
        assertThat(success.exitCode()).hasValue(0);
        assertThat(success.result()).isEqualTo(ExitEvent.Result.SUCCESS);
        assertThat(success.comm()).as("the comm after its exec").isEqualTo("true");

        ExitEvent kill = records.awaitExit(e -> e.pid() == killed.pid());
        assertThat(kill.signal()).isEqualTo(9);
        assertThat(kill.exitCode()).isEmpty();
        assertThat(kill.result()).isEqualTo(ExitEvent.Result.SIGNAL);
    }

    @Test
    void aProcessLifetimeLandsInTheBucketOfHowLongItLived() throws Exception {
        String name = "bpfscope-life-" + Long.toHexString(System.nanoTime() & 0xffffffL);
        try (Cgroup2 cgroup = Cgroup2.make(name)) {
            Process sleeper = new ProcessBuilder("/bin/sh", "-c", "read go; sleep 0.3").start();
            cgroup.add(sleeper.pid());
            try (OutputStream go = sleeper.getOutputStream()) {
                go.write('\n');
            }
            assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
            long id = cgroup.id();
            RingDrain.await(() -> lived(id) == 2, Duration.ofSeconds(10));

            // The shell and its sleep: both lived past 0.3 s and, on any machine fit to run this, under 0.5.
            Log2Histogram lifetimes = records.probe().counts().read().get(id).lifetimes();
            assertThat(lifetimes.counts()[Log2Unit.SECONDS.index(-1)]).as("lifetimes in (0.25 s, 0.5 s]: %s", lifetimes)
                    .isEqualTo(2);
        }
    }

    private static long lived(long cgroupId) {
        ExecCount count = records.probe().counts().read().get(cgroupId);
        return count == null ? 0 : count.lifetimes().count();
    }

    /**
     * Threads that end before the process are not exits; the process is one,
     * whichever thread ends last, even when all of them end at once (a group
     * exit from a thread other than the leader, tried five times).
     */
    @Test
    void aMultiThreadedProcessIsOneExitWithTheGroupsCode() throws Exception {
        for (int run = 0; run < 5; run++) {
            Process child = new ProcessBuilder("python3", "-c", """
                    import os, threading, time
                    threads = [threading.Thread(target=time.sleep, args=(0.05,)) for _ in range(4)]
                    for t in threads: t.start()
                    for t in threads: t.join()
                    spinners = [threading.Thread(target=lambda: time.sleep(10), daemon=True) for _ in range(4)]
                    for t in spinners: t.start()
                    threading.Thread(target=lambda: os._exit(7)).start()
                    time.sleep(10)
                    """).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(7);

            ExitEvent exit = records.awaitExit(e -> e.pid() == child.pid());
            assertThat(exit.exitCode()).hasValue(7);
            Thread.sleep(100);
            assertThat(records.exits(e -> e.pid() == child.pid())).as("exit records of the process").hasSize(1);
        }
    }

    /**
     * Every process of a cgroup counted by how it ended, whatever the buffer
     * carried: 40 that fail, 40 that succeed, 40 killed, and the shell that
     * ran them; the execs are the 40 of /bin/true and the 40 of /bin/sh.
     */
    @Test
    void everyExitIsCountedByResultInItsCgroup() throws Exception {
        String name = "bpfscope-exit-" + Long.toHexString(System.nanoTime() & 0xffffffL);
        try (Cgroup2 cgroup = Cgroup2.make(name)) {
            Process shell = new ProcessBuilder("/bin/sh", "-c", """
                    read go; i=0
                    while [ $i -lt 40 ]; do
                      (exit 3); /bin/true; /bin/sh -c 'kill -9 $$'; i=$((i+1))
                    done""").redirectError(ProcessBuilder.Redirect.INHERIT).start();
            cgroup.add(shell.pid());
            try (OutputStream go = shell.getOutputStream()) {
                go.write('\n');
            }
            assertThat(shell.waitFor(60, TimeUnit.SECONDS)).isTrue();
            long id = cgroup.id();

            List<Long> expected = List.of(80L, 0L, 41L, 40L, 40L);
            RingDrain.await(() -> expected.equals(counts(records.probe().counts().read().get(id))), Duration.ofSeconds(10));
            ExecCount counted = records.probe().counts().read().get(id);
            assertThat(counts(counted)).isEqualTo(expected);
            assertThat(counted.lifetimes().count()).as("every process that ended has its lifetime").isEqualTo(121);
            assertThat(counted.lifetimes().sum()).as("nanoseconds lived in all")
                    .isPositive().isLessThan(TimeUnit.SECONDS.toNanos(60) * 121);
            RingDrain.await(() -> records.exits(e -> e.cgroupId() == id).size() == 121, Duration.ofSeconds(10));
            assertThat(records.exits(e -> e.cgroupId() == id)).hasSize(121);
            assertThat(records.probe().drops(DropReason.BUFFER_FULL)).isZero();
        }
    }

    /** success, failure, exited, failed, killed. */
    private static List<Long> counts(ExecCount count) {
        return count == null ? List.of()
                : List.of(count.success(), count.failure(), count.exited(), count.failed(), count.killed());
    }
}
