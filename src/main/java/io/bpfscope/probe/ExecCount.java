package io.bpfscope.probe;

/**
 * execve calls that returned 0 and those that failed; processes that
 * exited with code 0, with another code, and those a signal ended.
 */
public record ExecCount(long success, long failure, long exited, long failed, long killed) {
}
