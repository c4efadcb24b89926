package io.bpfscope.bench;

import java.util.List;
import java.util.Map;

/** What a scenario runs under each configuration, prepared before the configuration starts. */
interface Workload extends AutoCloseable {

    /** The PID the configuration is told about (the writer's, for a filter), or 0. */
    long target();

    List<ProcessHandle> processes();

    /** Runs it to the end. */
    Result run() throws InterruptedException;

    /** The figure a run is judged by, its other figures by name, and what to say of the run beside the machine's CPU. */
    record Result(double value, Map<String, Double> figures, String note) {
    }

    @Override
    void close();
}
