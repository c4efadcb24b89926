package io.bpfscope.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The daemon with one {@code curl -sN /events?type=exec} client writing to a
 * file (P4, P6). A fresh daemon first streams a throw-away loop's execs, so
 * its exec path is compiled, as in a daemon that has run a while. Its note:
 * how many of the run's marked execs (/bin/true, argv[1] the mark, ret 0)
 * the client received, and the daemon's exec counters and losses.
 */
record ExecBpfscopeConfiguration(String name, String description, DaemonBuild build, long warmUpExecs)
        implements Configuration {

    private static final String EXEC_EVENTS = "bpfscope_events_total{type=\"exec\"}";

    @Override
    public Attached start(Run run, long target) throws InterruptedException {
        DaemonUnderTest daemon = DaemonUnderTest.start(run, build, name());
        Path stream = run.dir().resolve("exec_sse.out");
        CurlClient client = null;
        try {
            client = CurlClient.capturing(run, daemon, "/events?type=exec", stream);
            if (warmUpExecs > 0) {
                Map<String, Double> before = daemon.scrape();
                ExecLoops.run(run, warmUpExecs / 2, run.marker() + "-warm-up");
                daemon.awaitGrowth(before, EXEC_EVENTS, warmUpExecs);
            }
            Map<String, Double> before = daemon.scrape();
            long cpuBefore = daemon.cpuMillis();
            CurlClient capturing = client;
            return Configuration.attached(List.of(daemon.process()), () -> {
                try (daemon; capturing) {
                    Outcome outcome = finish(run, daemon, capturing, stream, before, cpuBefore);
                    daemon.stop();
                    return outcome;
                }
            });
        } catch (RuntimeException | InterruptedException e) {
            if (client != null) {
                client.close();
            }
            daemon.close();
            throw e;
        }
    }

    private static Outcome finish(Run run, DaemonUnderTest daemon, CurlClient client, Path stream,
            Map<String, Double> before, long cpuBefore) throws InterruptedException {
        long expected = 2 * run.operations();
        // Until the client has every marked exec, or got nothing new for 2 s.
        long last = -1;
        long stillSince = System.nanoTime();
        while (System.nanoTime() - stillSince < 2_000_000_000L) {
            long seen = marked(read(stream), run.marker());
            if (seen >= expected) {
                break;
            }
            if (seen != last) {
                last = seen;
                stillSince = System.nanoTime();
            }
            Thread.sleep(100);
        }
        Map<String, Double> after = daemon.scrape();
        long cpu = daemon.cpuMillis() - cpuBefore;
        client.finish();
        String captured = read(stream);
        long seen = marked(captured, run.marker());
        long all = captured.lines().filter(line -> line.equals("event: exec")).count();
        long lostMessages = captured.lines().filter(line -> line.equals("event: lost")).count();
        double success = DaemonUnderTest.delta(before, after, "bpfscope_exec_total", "result=\"success\"");
        double failure = DaemonUnderTest.delta(before, after, "bpfscope_exec_total", "result=\"failure\"");
        double events = DaemonUnderTest.delta(before, after, EXEC_EVENTS, "");
        Map<String, Double> figures = new HashMap<>(Map.of("seen", (double) seen, "exec_success", success,
                "exec_failure", failure, "exec_events", events, "sse_exec_all", (double) all,
                "daemon_cpu_ms", (double) cpu));
        String losses = Losses.note(before, after, figures);
        return new Outcome("streamed " + seen + " of " + expected + " marked (" + all + " exec events and "
                + lostMessages + " lost messages on the stream in all); bpfscope_exec_total success +"
                + Samples.number(success) + " (node-wide: " + Samples.number(success - expected) + " others), failure +"
                + Samples.number(failure) + "; events_total{exec} +" + Samples.number(events) + "; " + losses
                + "; daemon CPU " + cpu + " ms", figures);
    }

    /** Exec events of the run's loops in an SSE capture: /bin/true, argv[1] the mark, ret 0. */
    static long marked(String captured, String marker) {
        String argv = "\"argv\":[\"/bin/true\",\"" + marker + "\"]";
        return captured.lines().filter(line -> line.startsWith("data: ") && line.contains(argv)
                && (line.contains("\"ret\":0,") || line.contains("\"ret\":0}"))).count();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
