package io.bpfscope.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * /bin/true spawned {@code rate} times a second, with the mark as argv[1],
 * on an absolute schedule: the n-th exec is due n/rate s after the first,
 * so one that starts late is made up for rather than shifting every later
 * one. Between execs the ended ones are reaped.
 */
record PacedExecs(long rate) {

    PacedExecs {
        if (rate <= 0) {
            throw new IllegalArgumentException("an exec rate must be positive, not " + rate);
        }
    }

    /** Execs for {@code length}; returns how many were spawned, each reaped by the time it returns. */
    long run(Duration length, String mark) throws InterruptedException {
        List<String> argv = List.of("/bin/true", mark);
        List<Integer> running = new ArrayList<>();
        long start = System.nanoTime();
        long count = 0;
        while (System.nanoTime() - start < length.toNanos()) {
            running.add(DirectExec.spawn(argv));
            count++;
            long delay = start + count * 1_000_000_000L / rate - System.nanoTime();
            if (delay > 0) {
                Thread.sleep(Duration.ofNanos(delay));
            }
            running.removeIf(DirectExec::reaped);
        }
        running.forEach(DirectExec::await);
        return count;
    }
}
