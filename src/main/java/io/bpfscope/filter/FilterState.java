package io.bpfscope.filter;

import java.util.List;

/**
 * The traced PID set as the API shows it. {@code generation} counts the
 * changes since start, so a client can tell whether the set moved.
 */
public record FilterState(List<Integer> pids, boolean followChildren, long generation) {
}
