package io.bpfscope.testing;

import java.time.Duration;
import java.util.List;

/**
 * The pipe_writes workload (src/test/c), run to its end under a comm no other
 * process has: per round, a write that fills a pipe, one that fails with
 * EAGAIN and one that blocks for {@code blocked} while the reader sleeps;
 * then writes that fail with EPIPE.
 */
public final class PipeWriter {

    private PipeWriter() {
    }

    /** Runs it; returns the comm its writes had. */
    public static String run(int rounds, Duration blocked, int epipes) {
        String comm = Workloads.uniqueComm("bpfpw");
        Workloads.run("pipe_writes", List.of(comm, Integer.toString(rounds), Long.toString(blocked.toMillis()),
                Integer.toString(epipes)), blocked.multipliedBy(rounds).plusMinutes(1));
        return comm;
    }
}
