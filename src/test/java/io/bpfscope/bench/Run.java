package io.bpfscope.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What every configuration of a harness run shares: where the built tools
 * are, where this run's files go, how many operations the workload does,
 * and how long a tool may take to become ready.
 */
public record Run(Path build, Path dir, long operations, Duration ready, Duration bound) {
}
