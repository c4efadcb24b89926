package io.bpfscope.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A soak's report after the harness's header: how it ran, the writers, the
 * counts, the export (when -J turned it on), the exec latency, memory and
 * CPU, and the targets, each PASS or FAIL; {@code passed} when all pass.
 * Reaching the rate is reported, not judged: it is the machine's to give.
 */
record SoakReport(String text, boolean passed) {

    static final double P99_LIMIT_MS = 250;
    private static final double MIB = 1 << 20;

    static SoakReport of(SoakRun run) {
        SoakSettings s = run.settings();
        StringBuilder out = new StringBuilder();
        out.append(format("- load average (1 min): %.2f before the run, %.2f after; all CPUs %s during the load\n",
                run.loadAverageBefore(), run.loadAverageAfter(), run.machineDuringLoad()));
        out.append("- daemon: ").append(run.daemon()).append('\n');
        out.append(format("- load: %d x `write_loop -R %d -n %d -c %s` (their PIDs in the filter), %d clients on `%s`,"
                + " `%s %s I` every %s ms; %d s nominal, warm-up %d s\n", s.writers(), s.writesPerSecondPerWriter(),
                s.writesPerWriter(), run.comm(), s.clients(), s.path(), SoakExecs.PROGRAM, run.marker(),
                Samples.number(s.execGapMs()), s.seconds(), s.warmUpSeconds()));
        out.append("- the run's files: `").append(run.dir()).append("` (GC log, the clients' and the writers' output);"
                + " every second's sample: the `-samples.tsv` file of this report's name, beside it\n\n");
        double reached = writers(out, run);
        boolean countsOk = counts(out, run);
        export(out, run);
        LatencySection latency = LatencySection.of(run);
        out.append(latency.text());
        MemorySection memory = MemorySection.of(run);
        out.append(memory.text());
        boolean p99Ok = latency.p99Ms() < P99_LIMIT_MS;
        boolean passed = countsOk && memory.rss().ok() && memory.heap().ok() && p99Ok && run.exitStatus() == 0;
        out.append("## Targets\n\n| target | result |\n| --- | --- |\n");
        out.append(format("| %,d writes/s | %s: %,.0f /s |\n", s.rate(), reached >= 0.99 * s.rate() ? "reached"
                : "not reached", reached));
        out.append("| no count lost | ").append(verdict(countsOk)).append(" (see Counts) |\n");
        out.append("| RSS flat after the warm-up | ").append(verdict(memory.rss().ok())).append(": ")
                .append(memory.rss().text()).append(" |\n");
        out.append("| heap flat after the warm-up (heap after each GC) | ").append(verdict(memory.heap().ok()))
                .append(": ").append(memory.heap().text()).append(" |\n");
        out.append(format("| exec p99 to a client < %.0f ms | %s: %s ms |\n", P99_LIMIT_MS, verdict(p99Ok),
                milliseconds(latency.p99Ms())));
        out.append(format("| the daemon stops cleanly | %s: exit status %d on SIGTERM |\n", verdict(run.exitStatus() == 0),
                run.exitStatus()));
        out.append("\nOverall: ").append(verdict(passed)).append('\n');
        return new SoakReport(out.toString(), passed);
    }

    /** The writers' table; returns their total rate. */
    private static double writers(StringBuilder out, SoakRun run) {
        out.append("## Writers\n\n| writer | writes | writes/s | last burst late by, ms | CPU ns/write"
                + " | involuntary switches |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
        double reached = 0;
        for (int k = 0; k < run.writers().size(); k++) {
            Map<String, Double> f = run.writers().get(k);
            reached += f.get("rate");
            out.append(format("| %d | %,.0f | %,.0f | %,.1f | %.0f | %,.0f |\n", k, f.get("writes"), f.get("rate"),
                    f.get("late_ms"), f.get("cpu_ns_per_write"), f.get("invol_cs")));
        }
        out.append(format("\nAll writers: **%,.0f writes/s**; the load lasted %.1f s.\n\n", reached, run.loadSeconds()));
        return reached;
    }

    /**
     * Whether the kernel counted every write done, and every traced write was
     * streamed or counted lost in the kernel, with none lost by the reader.
     */
    private static boolean counts(StringBuilder out, SoakRun run) {
        long traced = run.settings().traced();
        String label = SoakSeries.ofComm(run.comm());
        double counted = run.after().sum(SoakSeries.WRITES, label) - run.before().sum(SoakSeries.WRITES, label);
        double streamed = run.growth(SoakSeries.STREAMED);
        double inKernel = run.growth(SoakSeries.LOST_IN_KERNEL);
        double byReader = run.growth(SoakSeries.LOST_BY_READER);
        out.append("## Counts\n\n");
        out.append(format("- writes done: %,d (%d x (%,d + the result line))\n", traced, run.writers().size(),
                run.settings().writesPerWriter()));
        out.append(format("- `%s{comm=\"%s\"}` grew by %,.0f\n", SoakSeries.WRITES, run.comm(), counted));
        out.append(format("- `%s` grew by %,.0f, `bpfscope_events_lost_total` by kernel %,.0f, reader %,.0f, client"
                + " %,.0f: streamed + lost in the kernel = %,.0f of %,d traced writes\n", SoakSeries.STREAMED, streamed,
                inKernel, byReader, run.growth(SoakSeries.LOST_BY_CLIENTS), streamed + inKernel, traced));
        out.append("- the clients: `").append(run.clientSummary()).append("`\n\n");
        return counted == traced && streamed + inKernel == traced && byReader == 0;
    }

    /**
     * The export's throughput, when -J turned it on: events written a second
     * over the load, and bytes a second by the mean line of the file it left
     * (rotation deletes the older files).
     */
    private static void export(StringBuilder out, SoakRun run) {
        double exported = run.growth(SoakSeries.EXPORTED);
        double lost = run.growth(SoakSeries.LOST_AT_EXPORT);
        if (exported == 0 && lost == 0) {
            return;
        }
        double rate = exported / run.loadSeconds();
        out.append(format("## Export\n\n- written: %,.0f events (%,.0f/s over the load), lost at the export: %,.0f",
                exported, rate, lost));
        run.settings().exportFile().filter(file -> size(file) > 0).ifPresent(file -> {
            double mean = (double) size(file) / lines(file);
            out.append(format("; %,.1f MB/s at the %.0f bytes of the mean line of `%s`", rate * mean / 1e6, mean, file));
        });
        out.append("\n\n");
    }

    static String format(String format, Object... arguments) {
        return String.format(Locale.ROOT, format, arguments);
    }

    static String verdict(boolean ok) {
        return ok ? "**PASS**" : "**FAIL**";
    }

    static String mib(double bytes) {
        return format("%.1f", bytes / MIB);
    }

    /** To one decimal; "inf" for a delivery that never came. */
    static String milliseconds(double ms) {
        return Double.isInfinite(ms) ? "inf" : format("%.1f", ms);
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
