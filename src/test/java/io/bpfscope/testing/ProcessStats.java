package io.bpfscope.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What a process holds, from /proc/PID: open descriptors, threads (Threads) and resident memory (VmRSS). */
public record ProcessStats(int fds, int threads, long rssKb) {

    public static ProcessStats of(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            int open = (int) fds.count();
            int threads = 0;
            long rss = 0;
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.substring("Threads:".length()).strip());
                } else if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").strip());
                }
            }
            return new ProcessStats(open, threads, rss);
        } catch (IOException e) {
            throw new UncheckedIOException("process " + pid + " is gone", e);
        }
    }
}
