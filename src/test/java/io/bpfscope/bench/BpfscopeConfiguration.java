package io.bpfscope.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The daemon under test in the write scenario, fresh for every run
 * ({@link DaemonUnderTest}) with the settings given, put in the state the configuration names before
 * the writer starts. Its figures: the writer's writes its kernel counters
 * saw, the write events its readers took, and (streaming) the losses by stage
 * and its CPU, from scrapes before the writer starts and after the daemon has
 * read everything the writer made.
 */
public record BpfscopeConfiguration(String name, String description, DaemonBuild build, State state,
        List<String> settings) implements Configuration {

    /** With the daemon's default settings. */
    public BpfscopeConfiguration(String name, String description, DaemonBuild build, State state) {
        this(name, description, build, state, List.of());
    }

    /** What the filter holds while the writer runs. */
    public enum State {
        /** Nothing: every write counted, none streamed (P1). */
        COUNTING,
        /** The harness's own PID, alive and not the writer (P3). */
        OTHER_PID,
        /** The writer's PID, after a warm-up writer streamed through the fresh daemon (P2). */
        STREAMING,
        /** The same, and one curl client on /events counting the writer's events. */
        STREAMING_TO_CLIENT;

        boolean streams() {
            return this == STREAMING || this == STREAMING_TO_CLIENT;
        }
    }

    private static final String WRITES = "bpfscope_write_syscalls_total";
    private static final String WRITE_EVENTS = "bpfscope_events_total{type=\"write\"}";
    private static final long WARM_UP_WRITES = 1_000_000;

    @Override
    public Attached start(Run run, long target) throws InterruptedException {
        DaemonUnderTest daemon = DaemonUnderTest.start(run, build, name, null, settings);
        try {
            String warmUp = "";
            switch (state) {
                case COUNTING -> { }
                case OTHER_PID -> daemon.trace(ProcessHandle.current().pid());
                case STREAMING, STREAMING_TO_CLIENT -> {
                    warmUp = warmUp(run, daemon);
                    daemon.trace(target);
                }
            }
            CurlClient client = state == State.STREAMING_TO_CLIENT
                    ? CurlClient.counting(run, daemon, "/events?type=write&pid=" + target, "write") : null;
            Map<String, Double> before = daemon.scrape();
            long cpuBefore = daemon.cpuMillis();
            String warmed = warmUp;
            return Configuration.attached(List.of(daemon.process()), () -> {
                try (daemon) {
                    Outcome outcome = finish(run, daemon, before, cpuBefore, warmed, client);
                    daemon.stop();
                    return outcome;
                } finally {
                    if (client != null) {
                        client.close();
                    }
                }
            });
        } catch (RuntimeException | InterruptedException e) {
            daemon.close();
            throw e;
        }
    }

    private Outcome finish(Run run, DaemonUnderTest daemon, Map<String, Double> before, long cpuBefore,
            String warmUp, CurlClient client) throws InterruptedException {
        long expected = run.operations() + 1;
        Map<String, Double> after = state.streams() ? daemon.awaitGrowth(before, WRITE_EVENTS, expected)
                : daemon.scrape();
        long cpu = daemon.cpuMillis() - cpuBefore;
        double counted = DaemonUnderTest.delta(before, after, WRITES, "comm=\"" + WriteConfigurations.WRITER + "\"");
        double streamed = DaemonUnderTest.delta(before, after, WRITE_EVENTS, "");
        Map<String, Double> figures = new HashMap<>(Map.of("counted", counted, "streamed", streamed));
        StringBuilder note = new StringBuilder("counted ").append(Samples.number(counted)).append(" of ")
                .append(expected).append(", streamed ").append(Samples.number(streamed));
        if (state == State.OTHER_PID) {
            note.append(" (the harness's own writes)");
        }
        if (state.streams()) {
            note.append(", ").append(Losses.note(before, after, figures));
            figures.put("daemon_cpu_ms", (double) cpu);
            note.append("; daemon CPU ").append(cpu).append(" ms; ").append(warmUp);
        }
        if (client != null) {
            long received = client.finish();
            figures.put("sse_received", (double) received);
            note.append("; curl client received ").append(received).append(" of ").append(expected);
        }
        return new Outcome(note.toString(), figures);
    }

    /** A throw-away writer streamed through the fresh daemon, so its reader is compiled as in one that ran a while. */
    private static String warmUp(Run run, DaemonUnderTest daemon) throws InterruptedException {
        try (WriteLoop writer = WriteLoop.prepare(run.build(), run.dir(), WARM_UP_WRITES, "bench-warmup", run.bound())) {
            daemon.trace(writer.pid());
            Map<String, Double> before = daemon.scrape();
            writer.go();
            writer.await(run.bound());
            Map<String, Double> after = daemon.awaitGrowth(before, WRITE_EVENTS, WARM_UP_WRITES + 1);
            daemon.untraceAll();
            return "warm-up streamed " + Samples.number(DaemonUnderTest.delta(before, after, WRITE_EVENTS, "")) + " of "
                    + (WARM_UP_WRITES + 1);
        }
    }
}
