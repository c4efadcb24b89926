package io.bpfscope.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What every configuration of a harness run shares: where the built tools
 * are, where this run's files go, how many operations the workload does,
 * how long a tool may take to become ready and to finish, and the mark the
 * workload's operations carry (the exec loops' argv[1]) so a tracer's output
 * can be told from the rest of the machine's.
 */
public record Run(Path build, Path dir, long operations, Duration ready, Duration bound, String marker) {
}
