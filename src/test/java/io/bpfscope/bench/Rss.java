package io.bpfscope.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's resident set, VmRSS of /proc/PID/status. */
final class Rss {

    private Rss() {
    }

    static long kib(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith("VmRSS:")).mapToLong(line -> Long.parseLong(line.split("\\s+")[1]))
                    .findFirst().orElseThrow(() -> new HarnessFailure("no VmRSS for process " + pid));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
