package io.bpfscope.bench;

import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.Scrape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The daemon under test, fresh for every run: started after the writer has
 * its PID, attached (the kernel lists its programs on their tracepoints),
 * its filter empty, settled (its start-up work done), then put in the state
 * the configuration names; stopped with SIGTERM, which it must exit 0 on,
 * leaving none of its programs loaded. Its figures come from its own
 * /q/metrics, scraped before the writer starts and after the daemon has read
 * everything the writer made.
 */
public record BpfscopeConfiguration(String name, String description, DaemonBuild build, State state)
        implements Configuration {

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
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final long WARM_UP_WRITES = 1_000_000;

    @Override
    public Attached start(Run run, long target) throws InterruptedException {
        Path stateDir = run.dir().resolve("state-" + name + "-" + System.nanoTime());
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Daemon daemon = Daemon.start(build.launch(), List.of(), stateDir);
        try {
            daemon.awaitListening(run.ready());
            ProcessHandle process = daemon.process().toHandle();
            for (String tracepoint : List.of("sys_enter_write", "sys_enter_execve")) {
                BpfView.awaitAttached(process, "bpfscope", tracepoint, run.ready(), daemon::output);
            }
            Set<Long> programs = BpfView.programsOf(process.pid());
            String filter = Scrape.get(daemon.uri("/filters/pids")).body();
            if (!filter.contains("\"pids\":[]")) {
                throw new HarnessFailure("a fresh bpfscope's filter is not empty: " + filter);
            }
            settle(process.pid());
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
                    ? CurlClient.start(run, daemon, "/events?type=write&pid=" + target) : null;
            Map<String, Double> before = Scrape.of(daemon.uri("/q/metrics"));
            long cpuBefore = MachineCpu.processMillis(process.pid());
            String warmed = warmUp;
            return new Attached() {
                @Override
                public List<ProcessHandle> processes() {
                    return List.of(process);
                }

                @Override
                public Outcome stop() throws InterruptedException {
                    try {
                        return finish(run, daemon, before, cpuBefore, warmed, programs, client);
                    } finally {
                        if (client != null) {
                            client.close();
                        }
                        close(daemon);
                    }
                }
            };
        } catch (RuntimeException | InterruptedException e) {
            close(daemon);
            throw e;
        }
    }

    private Outcome finish(Run run, Daemon daemon, Map<String, Double> before, long cpuBefore, String warmUp,
            Set<Long> programs, CurlClient client) throws InterruptedException {
        long expected = run.operations() + 1;
        Map<String, Double> after = state.streams()
                ? awaitGrowth(daemon, before, WRITE_EVENTS, expected)
                : Scrape.of(daemon.uri("/q/metrics"));
        long cpu = MachineCpu.processMillis(daemon.process().pid()) - cpuBefore;
        double counted = delta(before, after, WRITES, "comm=\"" + WriteConfigurations.WRITER + "\"");
        double streamed = delta(before, after, WRITE_EVENTS, "");
        Map<String, Double> figures = new HashMap<>(Map.of("counted", counted, "streamed", streamed));
        StringBuilder note = new StringBuilder("counted ").append(Samples.number(counted)).append(" of ")
                .append(expected).append(", streamed ").append(Samples.number(streamed));
        if (state == State.OTHER_PID) {
            note.append(" (the harness's own writes)");
        }
        if (state.streams()) {
            for (String stage : List.of("kernel", "reader", "client")) {
                double lost = delta(before, after, "bpfscope_events_lost_total{stage=\"" + stage + "\"}", "");
                figures.put("lost_" + stage, lost);
                note.append(stage.equals("kernel") ? ", lost " : ", ").append(stage).append(" +")
                        .append(Samples.number(lost));
            }
            figures.put("daemon_cpu_ms", (double) cpu);
            note.append("; daemon CPU ").append(cpu).append(" ms; ").append(warmUp);
        }
        if (client != null) {
            long received = client.finish();
            figures.put("sse_received", (double) received);
            note.append("; curl client received ").append(received).append(" of ").append(expected);
        }
        int status = daemon.terminate(Duration.ofSeconds(30));
        if (status != 0) {
            throw new HarnessFailure("bpfscope: exit status " + status + " on SIGTERM (expected 0); its output ends with:\n"
                    + tail(daemon.output()));
        }
        BpfView.awaitUnloaded(programs, Duration.ofSeconds(10));
        return new Outcome(note.toString(), figures);
    }

    /**
     * Until its JVM uses under 5% of a CPU over half a second (10 s at most):
     * a daemon runs for days, so its start-up work must not land in a run.
     */
    private static void settle(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        long last = MachineCpu.processMillis(pid);
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            long now = MachineCpu.processMillis(pid);
            if (now - last <= 25) {
                return;
            }
            last = now;
        }
        Log.say("bpfscope still busy %d s after start-up; measuring anyway", SETTLE.toSeconds());
    }

    /** A throw-away writer streamed through the fresh daemon, so its reader is compiled as in one that ran a while. */
    private static String warmUp(Run run, Daemon daemon) throws InterruptedException {
        try (WriteLoop writer = WriteLoop.prepare(run.build(), run.dir(), WARM_UP_WRITES, "bench-warmup", run.bound())) {
            daemon.trace(writer.pid());
            Map<String, Double> before = Scrape.of(daemon.uri("/q/metrics"));
            writer.go();
            writer.await(run.bound());
            Map<String, Double> after = awaitGrowth(daemon, before, WRITE_EVENTS, WARM_UP_WRITES + 1);
            daemon.untraceAll();
            return "warm-up streamed " + Samples.number(delta(before, after, WRITE_EVENTS, "")) + " of "
                    + (WARM_UP_WRITES + 1);
        }
    }

    /**
     * Scrapes until {@code series} grew by {@code expected}, or stopped
     * growing for 5 s (60 s at most); returns the last scrape.
     */
    private static Map<String, Double> awaitGrowth(Daemon daemon, Map<String, Double> before, String series,
            long expected) throws InterruptedException {
        Map<String, Double> now = Scrape.of(daemon.uri("/q/metrics"));
        double last = -1;
        long still = System.nanoTime();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (delta(before, now, series, "") < expected && System.nanoTime() < deadline
                && System.nanoTime() - still < Duration.ofSeconds(5).toNanos()) {
            double grown = delta(before, now, series, "");
            if (grown != last) {
                last = grown;
                still = System.nanoTime();
            }
            Thread.sleep(100);
            now = Scrape.of(daemon.uri("/q/metrics"));
        }
        return now;
    }

    /** Growth of the samples named {@code series} (its labels too, if it has some) carrying {@code label}. */
    static double delta(Map<String, Double> before, Map<String, Double> after, String series, String label) {
        return sum(after, series, label) - sum(before, series, label);
    }

    private static double sum(Map<String, Double> samples, String series, String label) {
        return samples.entrySet().stream()
                .filter(e -> (e.getKey().equals(series) || e.getKey().startsWith(series + "{")) && e.getKey().contains(label))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    }

    private static void close(Daemon daemon) {
        try {
            daemon.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
