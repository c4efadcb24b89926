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

    private ThreadCpu() {
    }

    /** User plus system ms by folded thread name. */
    static Map<String, Long> millisByName(long pid) {
        Map<String, Long> millis = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip().replaceAll("\\d+", "N");
                    millis.merge(name, MachineCpu.statMillis(Files.readString(task.resolve("stat"))), Long::sum);
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
}
