package io.bpfscope.bench;

import io.bpfscope.testing.Cgroup2;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A process's memory cgroup, as the kernel enforces its limit: the peak of
 * what was charged to it (page cache and BPF maps the daemon created
 * included, as for the limit itself), the limit, and how many times the
 * OOM killer struck in it. cgroup v1's memory controller where the process
 * has one (these hosts are hybrid: Docker's limits live there), else
 * cgroup2's.
 */
public record LimitsMemory(long peakBytes, long limitBytes, long oomKills) {

    static LimitsMemory ofProcess(long pid) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"));
            for (String line : lines) {
                String[] fields = line.split(":", 3);
                if (List.of(fields[1].split(",")).contains("memory")) {
                    Path dir = Path.of("/sys/fs/cgroup/memory" + fields[2]);
                    return new LimitsMemory(number(dir.resolve("memory.max_usage_in_bytes")),
                            number(dir.resolve("memory.limit_in_bytes")), field(dir.resolve("memory.oom_control"), "oom_kill"));
                }
            }
            String unified = lines.stream().filter(line -> line.startsWith("0::")).findFirst()
                    .orElseThrow(() -> new HarnessFailure("process " + pid + " is in no memory cgroup")).substring(3);
            Path dir = Path.of(Cgroup2.mount() + unified);
            String max = Files.readString(dir.resolve("memory.max")).strip();
            return new LimitsMemory(number(dir.resolve("memory.peak")), max.equals("max") ? Long.MAX_VALUE : Long.parseLong(max),
                    field(dir.resolve("memory.events"), "oom_kill"));
        } catch (IOException e) {
            throw new UncheckedIOException("the memory cgroup of process " + pid, e);
        }
    }

    public double peakMib() {
        return peakBytes / 1048576.0;
    }

    private static long number(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).strip());
    }

    /** The value of "NAME VALUE" in a flat-keyed cgroup file. */
    private static long field(Path file, String name) throws IOException {
        return Files.readAllLines(file).stream().filter(line -> line.startsWith(name + " "))
                .mapToLong(line -> Long.parseLong(line.substring(name.length() + 1).strip())).findFirst()
                .orElseThrow(() -> new HarnessFailure("no " + name + " in " + file));
    }
}
