package io.bpfscope.bench;

/** The container as the engine reports it (docker inspect's State): running, OOM-killed, its exit code. */
public record LimitsState(String status, boolean running, boolean oomKilled, long exitCode) {
}
