package io.bpfscope.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The daemon's own CPU per exec event at a steady exec rate (P6): paced
 * execs while one client follows /events?type=exec; after {@code warm} of
 * them, the daemon's threads' CPU over {@code measured} more, and how many
 * of the measured execs the client received (counted a second after the
 * last).
 */
final class ExecCpu {

    /** The daemon's CPU per measured exec, and how many of those execs the client received. */
    record Result(CpuPerExec cpu, long received) {
    }

    private ExecCpu() {
    }

    static Result measure(Run run, DaemonUnderTest daemon, PacedExecs execs, Duration warm, Duration measured)
            throws InterruptedException {
        String mark = run.marker() + "-measured";
        String quoted = "\"" + mark + "\"";
        AtomicLong received = new AtomicLong();
        try (TimedEventStream stream = TimedEventStream.open(daemon, "/events?type=exec", arrival -> {
            if (arrival.data().contains(quoted)) {
                received.incrementAndGet();
            }
        })) {
            execs.run(warm, run.marker() + "-warm-up");
            long pid = daemon.process().pid();
            ThreadTimes before = ThreadTimes.of(pid);
            long spawned = execs.run(measured, mark);
            ThreadTimes after = ThreadTimes.of(pid);
            Thread.sleep(1000);
            return new Result(CpuPerExec.of(after.since(before), spawned, measured.toNanos() / 1e9), received.get());
        }
    }
}
