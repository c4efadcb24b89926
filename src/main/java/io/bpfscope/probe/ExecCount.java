package io.bpfscope.probe;

/** execve calls that returned 0, and those that failed. */
public record ExecCount(long success, long failure) {
}
