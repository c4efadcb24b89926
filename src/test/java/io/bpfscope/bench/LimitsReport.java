package io.bpfscope.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bench/harness limits}: the daemon's image run as the DaemonSet runs
 * it, under the chart's memory limit, once per CPU quota (largest first),
 * each time with the combined load (a traced writer asking for -R writes/s
 * and -f reading /events clients plus one that stops reading), then the
 * keep-up probe (one client of a writer paced at -k writes/s); the report
 * gives what each quota did and the two smallest quotas that held.
 */
final class LimitsReport {

    /** A daemon with a tenth of a CPU starts in tens of seconds. */
    private static final Duration READY = Duration.ofMinutes(3);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private LimitsReport() {
    }

    static Path save(Path bench, Options options, String command) throws IOException, InterruptedException {
        List<String> quotas = quotas(options.text("Q"));
        String memory = options.text("M").isEmpty() ? LimitsChart.memoryLimit() : options.text("M");
        long seconds = options.positive("d");
        long rate = options.positive("R");
        long keepUpRate = options.positive("k");
        LimitsLoad combined = new LimitsLoad((int) options.positive("f"), 1, rate, rate * seconds, "limits-writer");
        LimitsLoad keepUp = new LimitsLoad(1, 0, keepUpRate, keepUpRate * options.positive("s"), "limits-keepup");
        Path dir = Files.createTempDirectory("bpfscope-bench");
        Path build = new Build(bench).run();
        String image = options.text("i").isEmpty() ? LimitsImage.build(Path.of(options.text("j")), dir) : options.text("i");
        // One writer asked for a million writes a second reaches a fifth of that here, beside the daemon and its
        // clients: each load is bounded as if its writer reached a tenth of its rate, plus two minutes.
        Run run = new Run(build, dir, combined.writes(), Duration.ofSeconds(30),
                Duration.ofSeconds(120 + 10 * Math.max(seconds, options.positive("s"))),
                "bpfscope-bench-" + ProcessHandle.current().pid());
        String started = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        List<LimitsQuota> measured = new ArrayList<>();
        for (String cpus : quotas) {
            measured.add(measure(run, image, memory, cpus, combined, keepUp));
        }
        String report = Report.header("limits", started, command) + "- image: `" + image + "`"
                + (options.text("i").isEmpty() ? ", built from " + options.text("j") : "") + "\n"
                + "\n## limits\n\nThe image run as the DaemonSet runs it with `--memory=" + memory + " --memory-swap="
                + memory + " --cpus=CPUS`, one fresh container per quota. Combined load: a `write_loop` asking for "
                + Samples.number(rate) + " writes/s for " + seconds + " s, its PID in the filter, with "
                + combined.readers() + " `/events?type=write&pid=N` clients reading and one that stops reading;"
                + " /q/health/live and /q/health/ready asked every 200 ms (1 s timeout) meanwhile. Then the keep-up"
                + " probe in the same container: one client of a writer paced at " + Samples.number(keepUpRate)
                + " writes/s for " + options.positive("s") + " s. Counted: `bpfscope_write_syscalls_total` of the"
                + " writer's comm; read as events: `bpfscope_events_total{type=\"write\"}` (bold unless it plus the"
                + " kernel's and the reader's losses make the writes); told: the `count` of the `lost` messages"
                + " of type write or of no type; peak memory: the container's memory cgroup's peak (page cache and BPF"
                + " maps included, as for the limit).\n\n"
                + LimitsTable.render(measured) + LimitsTable.answers(measured, keepUpRate);
        return Report.save(bench.resolve("results"), report);
    }

    private static LimitsQuota measure(Run run, String image, String memory, String cpus, LimitsLoad combined,
            LimitsLoad keepUp) throws InterruptedException {
        Log.say("limits: --cpus=%s --memory=%s", cpus, memory);
        LimitsOutcome load = null;
        LimitsOutcome probe = null;
        try (LimitsContainer container = LimitsContainer.start(image, memory, cpus,
                run.dir().resolve("state-" + cpus), READY)) {
            try {
                load = combined.run(run, container);
                Log.say("limits: %s CPUs: %s", cpus, load.account());
                probe = keepUp.run(run, container);
                Log.say("limits: %s CPUs: kept up with %d/s: %s", cpus, keepUp.rate(), probe.keptUp());
                return new LimitsQuota(cpus, load, probe, container.stop(STOP_GRACE), null);
            } catch (HarnessFailure | UncheckedIOException | AssertionError failed) {
                Log.say("limits: %s CPUs: %s", cpus, failed.getMessage());
                return new LimitsQuota(cpus, load, probe, container.state(), failed.getMessage() + "; the container's"
                        + " log ends with: " + container.logTail(5).replace('\n', ' '));
            }
        } catch (HarnessFailure notStarted) {
            return new LimitsQuota(cpus, null, null, null, notStarted.getMessage());
        }
    }

    /** "2,1,0.5": positive CPU counts, as docker --cpus takes them. */
    static List<String> quotas(String list) {
        List<String> quotas = new ArrayList<>();
        for (String quota : list.split(",")) {
            try {
                if (Double.parseDouble(quota) > 0) {
                    quotas.add(quota);
                    continue;
                }
            } catch (NumberFormatException notANumber) {
                // said below
            }
            throw new IllegalArgumentException("-Q wants CPU counts separated by commas (2,1,0.5), not '" + list + "'");
        }
        return quotas;
    }
}
