package io.bpfscope.probe;

import io.bpfscope.histogram.Log2Histogram;

/**
 * execve calls that returned 0 and those that failed; processes that
 * exited with code 0, with another code, and those a signal ended, and how
 * long each of those lived (start to exit, in nanoseconds).
 */
public record ExecCount(long success, long failure, long exited, long failed, long killed, Log2Histogram lifetimes) {
}
