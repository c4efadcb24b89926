package io.bpfscope.probe;

/** write(2) calls and the bytes they asked to write. */
public record WriteCount(long calls, long bytes) {
}
