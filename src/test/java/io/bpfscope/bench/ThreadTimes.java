package io.bpfscope.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A process's CPU time and times scheduled in, by thread name with its
 * digits folded ("ForkJoinPool-1-worker-3" counts as
 * "ForkJoinPool-N-worker-N"): a pool's threads come and go under new
 * numbers, and what a pool costs is what matters. From
 * /proc/PID/task/TID/schedstat, exact to the nanosecond, where stat's
 * utime and stime are sampled at the clock tick.
 */
record ThreadTimes(Map<String, Usage> byName) {

    /** CPU nanoseconds and the times the scheduler ran it. */
    record Usage(long cpuNs, long runs) {

        Usage plus(Usage other) {
            return new Usage(cpuNs + other.cpuNs, runs + other.runs);
        }

        Usage minus(Usage other) {
            return new Usage(cpuNs - other.cpuNs, runs - other.runs);
        }
    }

    private static final Usage NONE = new Usage(0, 0);

    ThreadTimes {
        byName = Map.copyOf(byName);
    }

    /** The threads of {@code pid} now; one that ends while they are read is left out. */
    static ThreadTimes of(long pid) {
        Map<String, Usage> byName = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    byName.merge(fold(Files.readString(task.resolve("comm")).strip()),
                            schedstat(Files.readString(task.resolve("schedstat"))), Usage::plus);
                } catch (IOException ended) {
                    // a thread that ended meanwhile: its time is no longer the process's to report
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the threads of process " + pid, e);
        }
        return new ThreadTimes(byName);
    }

    /** Each name's growth since {@code earlier}; a name new since then grew from nothing. */
    ThreadTimes since(ThreadTimes earlier) {
        Map<String, Usage> grown = new HashMap<>();
        byName.forEach((name, usage) -> grown.put(name, usage.minus(earlier.byName.getOrDefault(name, NONE))));
        return new ThreadTimes(grown);
    }

    /** A thread name with every run of digits made "N". */
    static String fold(String name) {
        return name.replaceAll("[0-9]+", "N");
    }

    /** "CPU-ns WAIT-ns RUNS", the line of /proc/PID/task/TID/schedstat. */
    static Usage schedstat(String line) {
        List<String> fields = List.of(line.strip().split("\\s+"));
        if (fields.size() != 3) {
            throw new IllegalArgumentException("not a schedstat line: '" + line.strip() + "'");
        }
        return new Usage(Long.parseLong(fields.get(0)), Long.parseLong(fields.get(2)));
    }
}
