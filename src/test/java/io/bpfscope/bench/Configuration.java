package io.bpfscope.bench;

import java.util.List;
import java.util.Map;

/** What is attached to the machine while a workload runs: nothing, a tracer, the daemon in some state. */
public interface Configuration {

    /** Its name in -c and in the report. */
    String name();

    /** One line for the report: what is attached. */
    String description();

    /** Commands it runs that the machine must have, each with the Debian package that has it. */
    default Map<String, String> needs() {
        return Map.of();
    }

    /**
     * Attaches and returns once the kernel runs it. {@code target} is the
     * PID the workload will run as (the writer, waiting for its go line).
     */
    Attached start(Run run, long target) throws InterruptedException;

    /** An attached configuration of these processes, detached by {@code stop}. */
    static Attached attached(List<ProcessHandle> processes, Stop stop) {
        return new Attached() {
            @Override
            public List<ProcessHandle> processes() {
                return processes;
            }

            @Override
            public Outcome stop() throws InterruptedException {
                return stop.stop();
            }
        };
    }

    /** How an attached configuration is detached. */
    @FunctionalInterface
    interface Stop {
        Outcome stop() throws InterruptedException;
    }

    /** A configuration while it is attached. */
    interface Attached {

        /** Its processes, so their own syscall programs are not taken for another session's. */
        List<ProcessHandle> processes();

        /** Detaches and says what it saw of the workload. */
        Outcome stop() throws InterruptedException;
    }

    /** A note for the report's table, and figures by name for the targets. */
    record Outcome(String note, Map<String, Double> measures) {

        public static Outcome of(String note) {
            return new Outcome(note, Map.of());
        }
    }
}
