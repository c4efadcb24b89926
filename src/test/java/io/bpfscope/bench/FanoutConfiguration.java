package io.bpfscope.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P5: the daemon with the writer's PID in its filter, and bench's sse_count
 * holding {@code readers} clients that read /events?type=write&pid=N as fast
 * as they can and one that stops reading once its stream has begun. Once
 * the writer is done and every event is in the hub, sse_count is told to
 * finish (SIGUSR1): the readers take what is left, then the stalled client
 * reads again to collect its {@code lost} messages. The run's figure is the
 * fewest events a reader received. Over HTTPS, the daemon serves a
 * certificate made for the run and every client verifies it.
 */
record FanoutConfiguration(DaemonBuild build, int readers, boolean overHttps) implements Configuration {

    static final String FIGURE = "reader_min";
    private static final String WRITE_EVENTS = "bpfscope_events_total{type=\"write\"}";
    private static final Pattern SUMMARY = Pattern.compile("^summary (.*)$", Pattern.MULTILINE);
    private static final Pattern FIRST_LOST = Pattern.compile("role=stalled.*first_lost=(.*)$", Pattern.MULTILINE);

    @Override
    public String name() {
        return overHttps ? "fanout_https" : "fanout_bpfscope";
    }

    @Override
    public String description() {
        return "bpfscope daemon, writer's PID in the filter, writes paced, " + readers
                + " clients reading /events?type=write&pid=N and one that stops reading, over "
                + (overHttps ? "HTTPS" : "HTTP") + " (P5)";
    }

    @Override
    public Attached start(Run run, long target) throws InterruptedException {
        Https https = overHttps ? Https.madeIn(run.dir()) : null;
        DaemonUnderTest daemon = DaemonUnderTest.start(run, build, name(), https);
        Tool clients = null;
        try {
            daemon.trace(target);
            long expected = run.operations() + 1;
            List<String> command = new ArrayList<>(List.of(
                    run.build().resolve("sse_count").toString(), "-p", Integer.toString(daemon.port()),
                    "-u", "/events?type=write&pid=" + target, "-n", Integer.toString(readers), "-s", "1",
                    "-e", Long.toString(expected), "-i", "2000", "-T", Long.toString(run.bound().toSeconds())));
            if (https != null) {
                command.addAll(List.of("-t", https.ca().cert().toString()));
            }
            clients = Tool.start(run.dir(), "fanout_clients", run.bound(), command);
            clients.awaitLine(Pattern.compile("^ready$"), run.ready());
            daemon.awaitClients(readers + 1);
            Map<String, Double> before = daemon.scrape();
            long cpuBefore = daemon.cpuMillis();
            Tool counting = clients;
            return Configuration.attached(List.of(daemon.process(), clients.handle()), () -> {
                try (daemon; counting) {
                    Map<String, Double> streamedBy = daemon.awaitGrowth(before, WRITE_EVENTS, expected);
                    double streamed = DaemonUnderTest.delta(before, streamedBy, WRITE_EVENTS, "");
                    Signals.send(counting.toolProcess().orElseThrow(() -> new HarnessFailure("sse_count is gone")).pid(),
                            "USR1");
                    int status = counting.await(Duration.ofSeconds(120));
                    if (status != 0) {
                        throw new HarnessFailure("sse_count: " + Tool.exitText(status) + ": " + counting.errorTail(5));
                    }
                    long cpu = daemon.cpuMillis() - cpuBefore;
                    Map<String, Double> after = daemon.scrape();
                    daemon.stop();
                    return outcome(counting.output(), expected, streamed, cpu, before, after);
                }
            });
        } catch (RuntimeException | InterruptedException e) {
            if (clients != null) {
                clients.close();
            }
            daemon.close();
            throw e;
        }
    }

    private static Outcome outcome(String output, long expected, double streamed, long cpu, Map<String, Double> before,
            Map<String, Double> after) {
        Matcher summary = SUMMARY.matcher(output);
        if (!summary.find()) {
            throw new HarnessFailure("sse_count printed no summary");
        }
        Map<String, Double> figures = new HashMap<>();
        for (String pair : summary.group(1).split(" ")) {
            String[] kv = pair.split("=", 2);
            figures.put(kv[0], Double.parseDouble(kv[1]));
        }
        figures.put("streamed", streamed);
        figures.put("daemon_cpu_ms", (double) cpu);
        String losses = Losses.note(before, after, figures);
        Matcher first = FIRST_LOST.matcher(output);
        return new Outcome("streamed " + Samples.number(streamed) + " of " + expected + "; per reading client "
                + Samples.number(figures.get("reader_min")) + ".." + Samples.number(figures.get("reader_max")) + " of "
                + expected + "; stalled client received " + Samples.number(figures.get("stalled_events")) + ", lost "
                + Samples.number(figures.get("stalled_lost_events")) + " in "
                + Samples.number(figures.get("stalled_lost_msgs")) + " lost message(s)"
                + (first.find() ? ", the first " + first.group(1) : "") + "; " + losses + "; daemon CPU " + cpu
                + " ms, sse_count CPU " + Samples.number(figures.get("cpu_ms")) + " ms", figures);
    }
}
