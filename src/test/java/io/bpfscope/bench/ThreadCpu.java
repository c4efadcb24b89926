package io.bpfscope.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CPU time of a process's threads by name, the digits of each name
 * folded to N, so a pool's threads add up (GC Thread#0 and #1 as GC Thread#N,
 * the ForkJoinPool-N-worker-N carriers of the virtual threads together).
 */
final class ThreadCpu {

    /** USER_HZ, as in MachineCpu. */
    private static final long TICKS_PER_SECOND = 100;

    private ThreadCpu() {
    }

    /** User plus system ms by folded thread name. */
    static Map<String, Long> millisByName(long pid) {
        Map<String, Long> millis = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip().replaceAll("\\d+", "N");
                    millis.merge(name, ticks(Files.readString(task.resolve("stat"))) * 1000 / TICKS_PER_SECOND, Long::sum);
                } catch (IOException ended) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return millis;
    }

    /** The threads' growth from {@code before} to {@code after}, most first, those that grew only. */
    static List<Map.Entry<String, Long>> grown(Map<String, Long> before, Map<String, Long> after) {
        return after.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed()).toList();
    }

    /** utime + stime of a stat line; the fields after the command (which may hold spaces) start past its last ')'. */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
