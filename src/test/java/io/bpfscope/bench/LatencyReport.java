package io.bpfscope.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code bench/harness latency}: against one fresh daemon, the filter
 * latency (its first add is the daemon's first), then the exec latency;
 * each judged against its target in bench/README.md.
 */
final class LatencyReport {

    /** Both targets: the first event after an add, and exec to /events at the 99th percentile. */
    static final double TARGET_MS = 100;

    private LatencyReport() {
    }

    static Path save(Path bench, Options options, String command) throws IOException, InterruptedException {
        int adds = (int) options.positive("n");
        long execs = options.positive("e");
        Duration gap = Duration.ofMillis(options.count("g"));
        // Every add may wait 5 s for its event; every exec takes its gap and a few ms.
        Duration bound = Duration.ofSeconds(120 + 6L * adds).plus(gap.plusMillis(20).multipliedBy(execs));
        return FreshDaemonReport.save(bench, options, command, "latency", execs, bound, (run, daemon) -> {
            MachineCpu start = MachineCpu.now();
            Samples filter = FilterLatency.measure(run, daemon, adds);
            MachineCpu between = MachineCpu.now();
            Log.say("filter latency: %d adds, p99 %.2f ms", filter.count(), filter.percentile(0.99));
            daemon.awaitClients(0);
            ExecLatency.Result exec = ExecLatency.measure(run, daemon, execs, gap);
            Log.say("exec latency: %d of %d received, p99 %.2f ms", exec.received(), exec.execs(),
                    exec.millis().percentile(0.99));
            return filterSection(filter, start.usageUntil(between)) + execSection(exec, gap,
                    between.usageUntil(MachineCpu.now()));
        });
    }

    static String filterSection(Samples millis, String machine) {
        double first = millis.values().getFirst();
        double p99 = millis.percentile(0.99);
        boolean met = first <= TARGET_MS && p99 <= TARGET_MS;
        return "\n## filter latency\n\n" + millis.count() + " times: the PID of a shell writing a line to /dev/null"
                + " about every ms added to the filter (POST /filters/pids), the time to its first write event on"
                + " /events?type=write&pid=PID, the PID removed, 50 ms of rest. The first add is the fresh daemon's"
                + " first. Machine: " + machine + ".\n\n"
                + "| adds | first ms | p50 ms | p99 ms | max ms |\n| ---: | ---: | ---: | ---: | ---: |\n"
                + String.format(Locale.ROOT, "| %d | %.2f | %.2f | %.2f | %.2f |%n", millis.count(), first,
                        millis.percentile(0.5), p99, millis.max())
                + String.format(Locale.ROOT, "%nTarget (bench/README.md): first event after a PID is added ≤ %.0f ms,"
                        + " the fresh daemon's first add and the 99th percentile: **%s**%n", TARGET_MS,
                        met ? "PASS" : "FAIL");
    }

    static String execSection(ExecLatency.Result result, Duration gap, String machine) {
        Samples millis = result.millis();
        double p99 = millis.percentile(0.99);
        boolean every = result.received() == result.execs();
        String verdict = p99 <= TARGET_MS && every ? "PASS" : "FAIL";
        return "\n## exec latency\n\n" + result.execs() + " execs of /bin/true MARK I, one every " + gap.toMillis()
                + " ms, one /events?type=exec client: the time each message arrived less the event's \"time\" (the"
                + " kernel's stamp at sys_enter_execve), by the wall clock. Machine: " + machine + ".\n\n"
                + "| execs | received | p50 ms | p99 ms | max ms |\n| ---: | ---: | ---: | ---: | ---: |\n"
                + String.format(Locale.ROOT, "| %d | %d | %.2f | %.2f | %.2f |%n", result.execs(), result.received(),
                        millis.percentile(0.5), p99, millis.max())
                + String.format(Locale.ROOT, "%nTarget (bench/README.md): exec to /events p99 ≤ %.0f ms, every exec"
                        + " received: **%s**%s%n", TARGET_MS, verdict, every ? ""
                        : " (" + result.received() + " of " + result.execs() + " received)");
    }
}
