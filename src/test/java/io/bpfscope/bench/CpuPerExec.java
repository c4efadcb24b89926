package io.bpfscope.bench;

import java.util.Comparator;
import java.util.List;

/**
 * The daemon's CPU per exec over a measured stretch of {@code seconds} in
 * which {@code execs} were spawned, by thread name: its µs of CPU per
 * exec, and how often a second the scheduler ran it (its wakeups, which
 * cost a thread CPU before it does any work).
 */
record CpuPerExec(long execs, double seconds, List<ThreadShare> threads) {

    /** One thread name's share. */
    record ThreadShare(String name, double microsPerExec, double runsPerSecond) {
    }

    /** Below this many µs per exec a thread is left out of {@link #busiest}, though counted in the totals. */
    static final double NOTABLE_MICROS = 0.5;

    CpuPerExec {
        threads = List.copyOf(threads);
    }

    static CpuPerExec of(ThreadTimes grown, long execs, double seconds) {
        if (execs <= 0 || seconds <= 0) {
            throw new IllegalArgumentException("no execs (" + execs + ") or no time (" + seconds + " s) to share out");
        }
        return new CpuPerExec(execs, seconds, grown.byName().entrySet().stream()
                .map(e -> new ThreadShare(e.getKey(), e.getValue().cpuNs() / 1e3 / execs, e.getValue().runs() / seconds))
                .toList());
    }

    double microsPerExec() {
        return threads.stream().mapToDouble(ThreadShare::microsPerExec).sum();
    }

    double runsPerSecond() {
        return threads.stream().mapToDouble(ThreadShare::runsPerSecond).sum();
    }

    double execsPerSecond() {
        return execs / seconds;
    }

    /** The threads of at least {@link #NOTABLE_MICROS} µs per exec, the dearest first. */
    List<ThreadShare> busiest() {
        return threads.stream().filter(thread -> thread.microsPerExec() >= NOTABLE_MICROS)
                .sorted(Comparator.comparingDouble(ThreadShare::microsPerExec).thenComparingDouble(ThreadShare::runsPerSecond)
                        .thenComparing(ThreadShare::name).reversed())
                .toList();
    }
}
